import { createHmac } from 'node:crypto';
import { WEBHOOK_SIGNATURE_HEADER } from '@callsight/protocol';
import { safeEqual } from '../core/secrets.js';

export const SIGNATURE_HEADER = WEBHOOK_SIGNATURE_HEADER;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (the protocol's
 * WEBHOOK_SIGNATURE_HEADER), the same scheme Stripe and Svix use. Receivers verify
 * with the SDK's `verifyWebhook`; this Node side signs, and verifies the HTTP SMS
 * gateway's inbound requests.
 */
export function signWebhook(secret: string, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

export function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  opts: { toleranceSec?: number; nowSec?: number } = {},
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return false;
  return safeEqual(signWebhook(secret, body, t), `t=${t},v1=${parts.v1}`);
}
