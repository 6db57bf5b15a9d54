import { createHmac, randomBytes } from 'node:crypto';
import type { EventHookScheme } from '@callsight/protocol';
import { safeEqual } from '../core/secrets.js';

/** Deliveries older (or newer) than this are refused as replays, as Stripe and Standard Webhooks advise. */
export const HOOK_TOLERANCE_SEC = 300;

export type HookHeaders = Record<string, string | string[] | undefined>;

/** What a verified delivery says about itself: the sender's id for it (the dedup key), its type, its time. */
export interface VerifiedDelivery {
  deliveryId: string;
  type: string;
  timeMs: number | null;
  data: Record<string, unknown>;
}

export type HookVerdict = { ok: true; delivery: VerifiedDelivery } | { ok: false; reason: string };

const header = (h: HookHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text);

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A new signing secret in the form the scheme's senders expect. */
export function newHookSecret(scheme: EventHookScheme): string {
  return scheme === 'standard' ? `whsec_${randomBytes(24).toString('base64')}` : randomBytes(32).toString('base64url');
}

/** Problems of a secret an admin pasted (Stripe's own `whsec_…`, or a Standard Webhooks key), in words. */
export function secretProblem(scheme: EventHookScheme, secret: string): string | null {
  if (secret.length < 16 || secret.length > 200) return 'must be 16 to 200 characters';
  if (scheme === 'standard' && standardKey(secret).length < 16) return 'must be whsec_ followed by at least 16 bytes in base64';
  if (scheme === 'stripe' && !secret.startsWith('whsec_')) return 'Stripe signing secrets start with whsec_';
  return null;
}

const standardKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

function fresh(tSec: number, nowSec: number): boolean {
  return Number.isInteger(tSec) && Math.abs(nowSec - tSec) <= HOOK_TOLERANCE_SEC;
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Checks a delivery's signature over the raw body (before anything parses it) and reads
 * its id and type the way its sender writes them. Every refusal says why, in words a
 * person setting up the sender can act on; none says what the right signature was.
 */
export function verifyDelivery(scheme: EventHookScheme, secret: string, rawBody: string, headers: HookHeaders, nowSec = Math.floor(Date.now() / 1000)): HookVerdict {
  const no = (reason: string): HookVerdict => ({ ok: false, reason });
  switch (scheme) {
    case 'standard': {
      const id = header(headers, 'webhook-id');
      const ts = header(headers, 'webhook-timestamp');
      const sigs = header(headers, 'webhook-signature');
      if (!id || !ts || !sigs) return no('webhook-id, webhook-timestamp and webhook-signature headers are required');
      if (!/^\d+$/.test(ts) || !fresh(Number(ts), nowSec)) return no('the webhook-timestamp is more than 5 minutes away from now');
      const want = `v1,${hmac(standardKey(secret), `${id}.${ts}.${rawBody}`).digest('base64')}`;
      if (!sigs.split(' ').some((s) => safeEqual(s, want))) return no('the signature does not match the body and the secret');
      const body = parseJson(rawBody);
      if (!body || typeof body.type !== 'string') return no('the body must be a JSON object with a "type"');
      return { ok: true, delivery: { deliveryId: id, type: body.type, timeMs: Number(ts) * 1000, data: isObject(body.data) ? body.data : body } };
    }
    case 'github': {
      const sig = header(headers, 'x-hub-signature-256');
      const id = header(headers, 'x-github-delivery');
      const event = header(headers, 'x-github-event');
      if (!sig || !id || !event) return no('X-Hub-Signature-256, X-GitHub-Delivery and X-GitHub-Event headers are required');
      if (!safeEqual(sig, `sha256=${hmac(secret, rawBody).digest('hex')}`)) return no('the signature does not match the body and the secret');
      const body = parseJson(rawBody);
      if (!body) return no('the body must be a JSON object (content type application/json)');
      // "issues" + "opened" → issues.opened, so rules can tell the actions apart.
      const type = typeof body.action === 'string' ? `${event}.${body.action}` : event;
      return { ok: true, delivery: { deliveryId: id, type, timeMs: null, data: body } };
    }
    case 'stripe': {
      const sig = header(headers, 'stripe-signature');
      if (!sig) return no('the Stripe-Signature header is required');
      const parts = sig.split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
      const t = Number(parts.find(([k]) => k === 't')?.[1]);
      if (!fresh(t, nowSec)) return no('the signature’s timestamp is more than 5 minutes away from now');
      const want = hmac(secret, `${t}.${rawBody}`).digest('hex');
      if (!parts.some(([k, v]) => k === 'v1' && v !== undefined && safeEqual(v, want))) return no('the signature does not match the body and the secret');
      const body = parseJson(rawBody);
      if (!body || typeof body.id !== 'string' || typeof body.type !== 'string') return no('the body must be a Stripe event with an "id" and a "type"');
      const object = isObject(body.data) && isObject(body.data.object) ? body.data.object : body;
      return { ok: true, delivery: { deliveryId: body.id, type: body.type, timeMs: typeof body.created === 'number' ? body.created * 1000 : null, data: object } };
    }
  }
}

/** A sender's type as a CloudEvents type under the hook's prefix: characters rules can't match become `_`. */
export function hookEventType(prefix: string, type: string): string {
  return `${prefix}.${type.replace(/[^a-z0-9_.-]/gi, '_').slice(0, 100 - prefix.length - 1)}`;
}
