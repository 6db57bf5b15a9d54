import type { CaptureProgress, CaptureResult } from '../api/vault.js';
import type { CardBrand } from '../vault/card-number.js';

/** Saved cards: only the token and the last four digits, never the number. */
export interface VaultEvents {
  'vault.card.saved': { token: string; last4: string; brand: CardBrand; customerId: string };
  'vault.card.revoked': { token: string; last4: string; customerId: string };
  /** The card is being read into a call: the agent's screen shows it. */
  'vault.card.speaking': { token: string; last4: string; brand: CardBrand; customerId: string; callId: string; otherCallId: string | null; speakId: string; durationMs: number };
  'vault.card.spoken': { token: string; last4: string; customerId: string; callId: string; otherCallId: string | null; speakId: string; durationMs: number; outcome: 'completed' | 'stopped' };
  /** Keypad capture: counts and checks only (never a digit), to the agent and the customer. */
  'vault.capture.progress': CaptureProgress;
  /** The keyed card passed its checks (brand and last 4 only). */
  'vault.card.captured': { captureId: string; callId: string; customerCallId: string; brand: CardBrand; last4: string };
  'vault.payment.result': { captureId: string; callId: string; customerCallId: string; result: CaptureResult; paymentToken: string | null; brand: CardBrand | null; last4: string | null };
  /** `by`: the user or API key that rotated. */
  'vault.key.rotated': { version: number; rewrapped: number; minDecryptionVersion: number; by?: string };
}
