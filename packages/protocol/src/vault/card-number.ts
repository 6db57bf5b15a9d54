import type { FieldIssue } from '../api/core.js';

/**
 * Payment card numbers (ISO/IEC 7812): the Luhn check, the brand from the issuer
 * identification number, expiry and holder rules. Pure TypeScript: /phone runs it as
 * the customer types, the server runs it again before sealing, so both agree.
 */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'maestro' | 'unknown';

export const BRAND_NAMES: Record<CardBrand, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  unknown: 'Card',
};

/** Digits only (spaces and dashes as people type them are dropped); anything else stays and fails the checks. */
export const normalizePan = (input: string): string => input.replace(/[\s-]/g, '');

export function luhnValid(pan: string): boolean {
  if (!/^[0-9]{12,19}$/.test(pan)) return false;
  let sum = 0;
  let double = false;
  for (let i = pan.length - 1; i >= 0; i--) {
    let d = pan.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

interface IinRange {
  brand: CardBrand;
  /** Inclusive bounds compared on the first `digits` digits. */
  from: number;
  to: number;
  digits: number;
  lengths: readonly number[];
}

/**
 * IIN ranges, most specific first (8-digit BINs are read by their leading 6 or 4
 * digits, which fixes the scheme). Mastercard's 2-series is 222100–272099.
 */
const RANGES: readonly IinRange[] = [
  { brand: 'amex', from: 34, to: 34, digits: 2, lengths: [15] },
  { brand: 'amex', from: 37, to: 37, digits: 2, lengths: [15] },
  { brand: 'diners', from: 300, to: 305, digits: 3, lengths: [14, 16, 17, 18, 19] },
  { brand: 'diners', from: 36, to: 36, digits: 2, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', from: 38, to: 39, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { brand: 'discover', from: 6011, to: 6011, digits: 4, lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: 644, to: 649, digits: 3, lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: 65, to: 65, digits: 2, lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: 622126, to: 622925, digits: 6, lengths: [16, 17, 18, 19] },
  { brand: 'jcb', from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] },
  { brand: 'mastercard', from: 222100, to: 272099, digits: 6, lengths: [16] },
  { brand: 'mastercard', from: 51, to: 55, digits: 2, lengths: [16] },
  { brand: 'maestro', from: 5018, to: 5018, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5020, to: 5020, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5038, to: 5038, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5893, to: 5893, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 6304, to: 6304, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 6759, to: 6763, digits: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'visa', from: 4, to: 4, digits: 1, lengths: [13, 16, 19] },
];

/** The brand a (partial) number belongs to, from its leading digits; 'unknown' until they decide it. */
export function cardBrand(pan: string): CardBrand {
  for (const r of RANGES) {
    if (pan.length < r.digits) continue;
    const lead = Number(pan.slice(0, r.digits));
    if (lead >= r.from && lead <= r.to) return r.brand;
  }
  return 'unknown';
}

/** The lengths a brand issues (so a 16-digit Amex is refused). */
export function brandLengths(brand: CardBrand): readonly number[] {
  if (brand === 'unknown') return [12, 13, 14, 15, 16, 17, 18, 19];
  return [...new Set(RANGES.filter((r) => r.brand === brand).flatMap((r) => r.lengths))];
}

/** How a number is grouped when shown or spoken: 4-6-5 for Amex (4-6-4 for 14-digit Diners), else fours. */
export function groupSizes(brand: CardBrand, length: number): number[] {
  if (brand === 'amex' || (brand === 'diners' && length === 14)) return [4, 6, length - 10];
  const sizes: number[] = [];
  for (let i = 0; i < length; i += 4) sizes.push(Math.min(4, length - i));
  return sizes;
}

/** The number in its groups (a 16-digit Visa as four strings of four digits, an Amex as 4, 6 and 5). */
export function panGroups(pan: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (const n of groupSizes(cardBrand(pan), pan.length)) {
    out.push(pan.slice(at, at + n));
    at += n;
  }
  return out;
}

export interface SaveCardInput {
  pan: string;
  expMonth: number;
  /** Four digits. */
  expYear: number;
  holderName: string;
}

/** A card expires at the end of its expiry month. */
export function expired(expMonth: number, expYear: number, now = new Date()): boolean {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  return expYear < y || (expYear === y && expMonth < m);
}

/** Every problem with a card the customer entered, by field (`body.pan`…); empty when it may be saved. */
export function validateCard(input: SaveCardInput, now = new Date()): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pan = normalizePan(input.pan ?? '');
  const brand = cardBrand(pan);
  if (!/^[0-9]+$/.test(pan)) issues.push({ path: 'body.pan', message: 'Enter the digits of the card number' });
  else if (!brandLengths(brand).includes(pan.length)) issues.push({ path: 'body.pan', message: `A ${BRAND_NAMES[brand]} number has ${brandLengths(brand).join(' or ')} digits` });
  else if (!luhnValid(pan)) issues.push({ path: 'body.pan', message: 'This card number is not valid: check the digits' });
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12) issues.push({ path: 'body.expMonth', message: 'Month 1 to 12' });
  if (!Number.isInteger(input.expYear) || input.expYear < 2000 || input.expYear > now.getUTCFullYear() + 20) issues.push({ path: 'body.expYear', message: 'A four-digit year' });
  else if (issues.every((i) => i.path !== 'body.expMonth') && expired(input.expMonth, input.expYear, now)) issues.push({ path: 'body.expYear', message: 'This card has expired' });
  const holder = (input.holderName ?? '').trim();
  if (holder.length < 2 || holder.length > 80) issues.push({ path: 'body.holderName', message: 'The name as printed on the card' });
  // A name made of digits would be a number in a plaintext column.
  else if (/[0-9]{4,}/.test(holder)) issues.push({ path: 'body.holderName', message: 'A name, not a number' });
  return issues;
}
