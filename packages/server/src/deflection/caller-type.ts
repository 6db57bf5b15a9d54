import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CallerType } from './deflection-rules.js';

/**
 * Mobile or landline from the number plan (libphonenumber's full metadata).
 * Plans that do not tell them apart (NANP: "fixed line or mobile") and
 * anything unparseable are `unknown`, which only `callerType: 'any'` matches.
 */
export function callerTypeOf(number: string): CallerType {
  const type = parsePhoneNumberFromString(number)?.getType();
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE') return 'landline';
  return 'unknown';
}

/** The user part of a SIP URI when it is a phone number (sip:+4420…@host → +4420…). */
export function phoneOf(uri: string): string | null {
  const user = /^(?:sips?:|tel:)?([^@;]+)/.exec(uri)?.[1] ?? '';
  const digits = decodeURIComponent(user).replace(/[\s().-]/g, '');
  return /^\+?[0-9]{3,15}$/.test(digits) ? digits : null;
}
