import { cardBrand, type CaptureProgress, type CaptureResult, type CaptureStage, type CardBrand } from '@callsight/protocol';

/** A card as keyed: buffers that are zeroed as soon as the connector has them. */
export interface KeyedCard {
  pan: Buffer;
  expMonth: number;
  expYear: number;
  cvc: Buffer;
  brand: CardBrand;
  last4: string;
}

/** The keying state the wire's progress carries (the service adds the ids and the status). */
export type KeypadState = Pick<CaptureProgress, 'stage' | 'digits' | 'luhnValid' | 'brand' | 'attempt' | 'rejected'>;

export type KeypadStep = { kind: 'progress'; state: KeypadState } | { kind: 'complete'; card: KeyedCard } | { kind: 'failed'; result: CaptureResult };

const MAX_PAN = 19;
export const MAX_ATTEMPTS = 3;

/** Luhn over ASCII digits in a buffer (no string of the number is ever made). */
function luhn(buf: Buffer, length: number): boolean {
  let sum = 0;
  for (let i = 0; i < length; i++) {
    let d = buf[length - 1 - i] - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const PAN_LENGTHS: Partial<Record<CardBrand, readonly number[]>> = { amex: [15], mastercard: [16], visa: [13, 16, 19] };

/**
 * The keys of one card capture, stage by stage: number, expiry (MMYY), security code.
 * `#` ends a stage (the expiry and the code also end at their length), `*` cancels.
 * A stage that fails its check (Luhn, length, a past expiry) is keyed again; after
 * MAX_ATTEMPTS rejections the capture fails. Digits live only in zeroable buffers.
 */
export class KeypadCapture {
  private readonly pan = Buffer.alloc(MAX_PAN);
  private readonly exp = Buffer.alloc(4);
  private readonly cvc = Buffer.alloc(4);
  private panLength = 0;
  private expLength = 0;
  private cvcLength = 0;
  private stage: CaptureStage = 'number';
  private failures = 0;
  private rejected: CaptureStage | null = null;
  private over = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  get state(): KeypadState {
    const brand = this.panLength > 0 ? cardBrand(this.pan.toString('ascii', 0, Math.min(8, this.panLength))) : 'unknown';
    return {
      stage: this.stage,
      digits: this.stage === 'number' ? this.panLength : this.stage === 'expiry' ? this.expLength : this.cvcLength,
      luhnValid: this.panLength >= 12 ? luhn(this.pan, this.panLength) : null,
      brand,
      attempt: this.failures + 1,
      rejected: this.rejected,
    };
  }

  private get cvcSize(): number {
    return this.state.brand === 'amex' ? 4 : 3;
  }

  /** One key; null when the capture is already over. */
  press(key: string): KeypadStep | null {
    if (this.over) return null;
    this.rejected = null;
    if (key === '*') return this.fail('caller-interrupted-with-star');
    if (key === '#') return this.endStage();
    if (!/^[0-9]$/.test(key)) return { kind: 'progress', state: this.state };
    const code = key.charCodeAt(0);
    if (this.stage === 'number') {
      if (this.panLength < MAX_PAN) this.pan[this.panLength++] = code;
      return this.panLength === MAX_PAN ? this.endStage() : { kind: 'progress', state: this.state };
    }
    if (this.stage === 'expiry') {
      this.exp[this.expLength++] = code;
      return this.expLength === 4 ? this.endStage() : { kind: 'progress', state: this.state };
    }
    this.cvc[this.cvcLength++] = code;
    return this.cvcLength >= this.cvcSize ? this.endStage() : { kind: 'progress', state: this.state };
  }

  private endStage(): KeypadStep {
    if (this.stage === 'number') {
      const lengths = PAN_LENGTHS[this.state.brand];
      const ok = this.panLength >= 12 && luhn(this.pan, this.panLength) && (!lengths || lengths.includes(this.panLength));
      if (!ok) return this.reject(() => ((this.panLength = 0), this.pan.fill(0)));
      this.stage = 'expiry';
    } else if (this.stage === 'expiry') {
      const month = (this.exp[0] - 48) * 10 + (this.exp[1] - 48);
      const year = 2000 + (this.exp[2] - 48) * 10 + (this.exp[3] - 48);
      const now = this.now();
      const past = year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1);
      if (this.expLength !== 4 || month < 1 || month > 12 || past) return this.reject(() => ((this.expLength = 0), this.exp.fill(0)));
      this.stage = 'cvc';
    } else {
      if (this.cvcLength !== this.cvcSize) return this.reject(() => ((this.cvcLength = 0), this.cvc.fill(0)));
      this.over = true;
      const pan = Buffer.from(this.pan.subarray(0, this.panLength));
      const cvc = Buffer.from(this.cvc.subarray(0, this.cvcLength));
      const card: KeyedCard = {
        pan,
        cvc,
        expMonth: (this.exp[0] - 48) * 10 + (this.exp[1] - 48),
        expYear: 2000 + (this.exp[2] - 48) * 10 + (this.exp[3] - 48),
        brand: this.state.brand,
        last4: pan.toString('ascii', pan.length - 4),
      };
      this.wipe();
      return { kind: 'complete', card };
    }
    return { kind: 'progress', state: this.state };
  }

  private reject(clear: () => void): KeypadStep {
    const stage = this.stage;
    clear();
    this.failures++;
    if (this.failures >= MAX_ATTEMPTS) return this.fail('too-many-failed-attempts');
    this.rejected = stage;
    return { kind: 'progress', state: this.state };
  }

  private fail(result: CaptureResult): KeypadStep {
    this.over = true;
    this.wipe();
    return { kind: 'failed', result };
  }

  /** Zeroes every digit held (idempotent); the capture takes no more keys. */
  wipe(): void {
    this.over = true;
    this.pan.fill(0);
    this.exp.fill(0);
    this.cvc.fill(0);
  }
}

/** Zeroes a keyed card's buffers once it has been handed on. */
export function wipeCard(card: KeyedCard): void {
  card.pan.fill(0);
  card.cvc.fill(0);
}
