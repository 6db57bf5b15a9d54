/**
 * The 16 DTMF digits, their ITU-T Q.23 frequency pairs and their RFC 4733 event codes
 * (RFC 4733 §3.2, table 3: 0-9 → 0-9, * → 10, # → 11, A-D → 12-15). Shared by the
 * tone generator, the in-band detector and the telephone-event codec.
 */

export type DtmfDigit =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** Digits ordered by RFC 4733 event code. */
export const DTMF_DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** Q.23 low-group (row) and high-group (column) frequencies in Hz. */
export const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMN_HZ = [1209, 1336, 1477, 1633] as const;

/** Keypad layout: KEYPAD[row][column]. */
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export const isDtmfDigit = (s: string): s is DtmfDigit => (DTMF_DIGITS as readonly string[]).includes(s);

export const dtmfEventCode = (digit: DtmfDigit): number => DTMF_DIGITS.indexOf(digit);

/** The digit for an RFC 4733 event code, or null for codes beyond the 16 DTMF events. */
export const dtmfDigitForEvent = (code: number): DtmfDigit | null => DTMF_DIGITS[code] ?? null;

/** The digit at a keypad position. */
export const dtmfDigitAt = (row: number, column: number): DtmfDigit => KEYPAD[row][column];

/** The [low, high] frequency pair of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): [number, number] {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r].indexOf(digit);
    if (c >= 0) return [DTMF_ROW_HZ[r], DTMF_COLUMN_HZ[c]];
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}
