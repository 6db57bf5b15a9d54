import { BRAND_NAMES, type CaptureProgress, type CaptureResult } from '@callsight/sdk';

/** Words for the capture's stages and results, shared by the agent's panel and the customer's sheet. */
export const STAGE_NAMES: Record<CaptureProgress['stage'], string> = { number: 'Card number', expiry: 'Expiry (MMYY)', cvc: 'Security code' };

export const RESULT_TEXT: Record<CaptureResult, string> = {
  success: 'Payment accepted',
  'too-many-failed-attempts': 'Stopped after three wrong tries',
  'payment-connector-error': 'The payment was declined',
  'caller-interrupted-with-star': 'Cancelled on the keypad',
  'caller-hung-up': 'The caller hung up',
  'validation-error': 'The card could not be checked',
  'agent-cancelled': 'Cancelled by the agent',
  timeout: 'No keys for a minute: stopped',
};

export const brandName = (p: Pick<CaptureProgress, 'brand'>) => (p.brand === 'unknown' ? 'Card' : BRAND_NAMES[p.brand]);
