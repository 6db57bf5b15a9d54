import { randomBytes } from 'node:crypto';
import type { KeyedCard } from './keypad-capture.js';

export interface ChargeRequest {
  /** The same key never charges twice (a retry returns the first answer). */
  idempotencyKey: string;
  amount: number | null;
  currency: string | null;
  description: string | null;
  /** Valid only during the call: the buffers are zeroed as soon as it returns. */
  card: KeyedCard;
}

export type ChargeResult = { ok: true; token: string } | { ok: false; reason: 'declined' | 'error' };

/**
 * Where a keyed card goes (Twilio's Pay Connector): a payment processor or a token
 * service. It gets the number, expiry and code once and answers with a token; callsight
 * keeps only the token, brand and last 4.
 */
export interface PaymentConnector {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
}

/**
 * The built-in connector for demos and tests: it keeps nothing of the card and answers
 * with a random token, or declines when told to (`decline`), remembering each
 * idempotency key's answer.
 */
export class LocalTestConnector implements PaymentConnector {
  readonly name = 'local-test';
  private readonly answers = new Map<string, ChargeResult>();

  constructor(private readonly opts: { decline?: (req: ChargeRequest) => boolean; onCharge?: (req: ChargeRequest) => void } = {}) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const known = this.answers.get(req.idempotencyKey);
    if (known) return known;
    this.opts.onCharge?.(req);
    const answer: ChargeResult = this.opts.decline?.(req) ? { ok: false, reason: 'declined' } : { ok: true, token: `pay_${randomBytes(12).toString('hex')}` };
    this.answers.set(req.idempotencyKey, answer);
    return answer;
  }
}
