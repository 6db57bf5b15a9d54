import { WEBHOOK_SIGNATURE_HEADER, type AnyEvent } from '@callsight/protocol';

export { WEBHOOK_SIGNATURE_HEADER };

export interface VerifyWebhookOptions {
  /** How old (or far ahead) the signed timestamp may be. Default 300 s. */
  toleranceSeconds?: number;
  /** For tests: the time to check against, epoch ms. */
  now?: number;
}

/**
 * Checks a webhook delivery and returns its event, typed by `type`, or undefined when
 * the signature does not match `secret` or its timestamp is outside the tolerance
 * (a replayed delivery). `body` must be the raw request body, before any JSON parsing;
 * `signature` is the `callsight-signature` header (`t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`).
 *
 *   const event = await verifyWebhook(rawBody, req.headers['callsight-signature'], secret);
 *   if (event?.type === 'call.ended') console.log(event.data.cause);
 *
 * WebCrypto only (browsers, Node ≥ 20, edge runtimes); the comparison is constant-time.
 */
export async function verifyWebhook(body: string, signature: string | string[] | null | undefined, secret: string, opts: VerifyWebhookOptions = {}): Promise<AnyEvent | undefined> {
  const header = Array.isArray(signature) ? signature[0] : signature;
  if (!header) return undefined;
  const fields = new Map(header.split(',').map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()]));
  const t = fields.get('t') ?? '';
  const v1 = fields.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(v1)) return undefined;
  const nowSec = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(nowSec - Number(t)) > (opts.toleranceSeconds ?? 300)) return undefined;
  const utf8 = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = parseInt(v1.slice(i * 2, i * 2 + 2), 16);
  if (!(await crypto.subtle.verify('HMAC', key, mac, utf8.encode(`${t}.${body}`)))) return undefined;
  try {
    return JSON.parse(body) as AnyEvent;
  } catch {
    return undefined;
  }
}
