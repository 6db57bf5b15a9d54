import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Egress, EgressResponse } from '../core/egress.js';
import { badRequest, unauthorized } from '../core/errors.js';
import { SIGNATURE_HEADER, signWebhook, verifyWebhook } from '../webhooks/webhook-signature.js';
import { smsErrors } from './sms-errors.js';
import type { SmsTransport, SmsTransportEvents } from './sms-transport.js';

/** What the gateway posts to `POST /api/sms/webhook`: an inbound message or a receipt. */
export const inboundWebhookSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('mo'), from: z.string().min(1).max(32), to: z.string().min(1).max(32), text: z.string().max(1600) }).strict(),
  z.object({ type: z.literal('receipt'), messageId: z.string().min(1).max(100), delivered: z.boolean(), stat: z.string().max(20).default('') }).strict(),
]);

/**
 * SMS through an HTTP gateway (an aggregator's REST API behind a small
 * adapter, or a test server): each message is POSTed as JSON
 * `{from, to, text}` to CALLSIGHT_SMS_WEBHOOK_URL, signed like callsight's
 * webhooks (`callsight-signature: t=…,v1=HMAC-SHA256(secret, "t.body")`);
 * the gateway answers `{ messageId }` (or `{ messageIds: [...] }`). Inbound
 * messages and receipts come back signed the same way to `/api/sms/webhook`.
 */
export class HttpSmsTransport extends EventEmitter<SmsTransportEvents> implements SmsTransport {
  constructor(private readonly opts: { url: string; secret: string; egress: Egress; timeoutMs?: number }) {
    super();
  }

  start(): void {}

  async stop(): Promise<void> {}

  async submit(msg: { from: string; to: string; text: string }): Promise<string[]> {
    const body = JSON.stringify(msg);
    let res: EgressResponse;
    try {
      res = await this.opts.egress.fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(this.opts.secret, body, Math.floor(Date.now() / 1000)) },
        body,
        timeoutMs: this.opts.timeoutMs ?? 5000,
        maxBytes: 64 * 1024,
      });
    } catch (err) {
      throw smsErrors.unavailable(`the HTTP gateway did not answer (${(err as Error).message})`);
    }
    if (res.status >= 500) throw smsErrors.unavailable(`the HTTP gateway answered ${res.status}`);
    if (res.status < 200 || res.status >= 300) throw smsErrors.refused(`HTTP ${res.status}`);
    let json: { messageId?: unknown; messageIds?: unknown } = {};
    try {
      json = JSON.parse(res.body.toString('utf8')) ?? {};
    } catch {
      /* no ids: refused below */
    }
    const ids = Array.isArray(json.messageIds) ? json.messageIds.map(String) : typeof json.messageId === 'string' ? [json.messageId] : [];
    if (ids.length === 0) throw smsErrors.unavailable('the HTTP gateway answered without a messageId');
    return ids;
  }

  /** A signed request from the gateway: 401 when the signature is wrong or old, 400 when the body is not one we know. */
  receive(rawBody: string, signature: string | undefined): void {
    if (!signature || !verifyWebhook(this.opts.secret, rawBody, signature)) throw unauthorized('Bad or missing callsight-signature');
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw badRequest('invalid_body', 'The body is not JSON', [{ path: 'body', message: 'not JSON' }]);
    }
    const parsed = inboundWebhookSchema.safeParse(json);
    if (!parsed.success) throw badRequest('invalid_body', 'Not an SMS gateway message', parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })));
    const m = parsed.data;
    if (m.type === 'mo') this.emit('mo', { from: m.from, to: m.to, text: m.text });
    else this.emit('receipt', { messageId: m.messageId, delivered: m.delivered, stat: m.stat });
  }
}
