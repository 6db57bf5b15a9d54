import { badRequest } from '../core/errors.js';

/** A number in PASSporT canonical form, or why the input is not one. */
export type CanonicalTn = { tn: string } | { problem: string };

/** RFC 3966 visual separators, plus the spaces people type. */
const VISUAL_SEPARATORS = /[\s().-]/g;
/** NANP national significant number: NXX NXX XXXX (N = 2-9). SHAKEN's numbering plan. */
const NANP_NATIONAL = /^[2-9]\d{2}[2-9]\d{6}$/;
/** The NANP international prefix: 011 + country code + number. */
const NANP_INTERNATIONAL = /^011(\d{7,15})$/;

/**
 * Canonicalizes a telephone number the way a PASSporT carries it (RFC 8224
 * §8.3, RFC 8225 §5.2.1, ATIS-1000074 §5.3.1): digits only, with the country
 * code, no "+", no visual separators. Accepts what SIP carries: a tel URI, the
 * user part of a sip/sips URI (`;user=phone` or not), a bare number, each with
 * visual separators and a `;phone-context`.
 *
 * - `+` numbers are global: the digits after "+".
 * - Local numbers take the digits of a global `phone-context` (`;phone-context=+1`)
 *   as their prefix; a domain phone-context names no country, so the number
 *   cannot be canonicalized.
 * - Without either, SHAKEN's plan (NANP) applies: a 10-digit national number
 *   NXXNXXXXXX gets country code 1, `011…` is international; any other digit
 *   string is taken as already canonical (country code first), which is how
 *   PASSporT's own `orig` and `dest` are written.
 */
export function canonicalizeTn(input: string): CanonicalTn {
  const text = input.trim().replace(/^<(.*)>$/, '$1');
  let subscriber: string;
  let params: string;
  const scheme = /^(tel|sips?):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'tel') [subscriber, params] = splitParams(text.slice(4));
  else if (scheme) {
    const at = text.indexOf('@');
    if (at < 0) return { problem: `${text} has no user part, so no telephone number` };
    let user: string;
    try {
      user = decodeURIComponent(text.slice(scheme.length + 1, at));
    } catch {
      return { problem: `the user part of ${text} is not well-formed` };
    }
    [subscriber, params] = splitParams(user);
  } else [subscriber, params] = splitParams(text);

  const number = subscriber.replace(VISUAL_SEPARATORS, '');
  if (number === '') return { problem: `"${input}" holds no telephone number` };
  if (number.startsWith('+')) return digits(number.slice(1), input);
  if (!/^\d+$/.test(number)) return { problem: `"${subscriber}" is not a telephone number (only digits and visual separators may appear)` };

  const context = /(?:^|;)phone-context=([^;]*)/i.exec(params)?.[1];
  if (context !== undefined) {
    const global = context.replace(VISUAL_SEPARATORS, '');
    if (!/^\+\d+$/.test(global)) return { problem: `${subscriber} is a local number whose phone-context (${context}) gives no country code` };
    return digits(global.slice(1) + number, input);
  }
  if (NANP_NATIONAL.test(number)) return { tn: `1${number}` };
  const international = NANP_INTERNATIONAL.exec(number)?.[1];
  return digits(international ?? number, input);
}

function splitParams(s: string): [string, string] {
  const semi = s.indexOf(';');
  return semi < 0 ? [s, ''] : [s.slice(0, semi), s.slice(semi + 1)];
}

function digits(d: string, input: string): CanonicalTn {
  if (!/^\d+$/.test(d)) return { problem: `"${input}" is not a telephone number (only digits may follow the country code)` };
  if (d.length > 15) return { problem: `"${input}" has ${d.length} digits; E.164 allows at most 15` };
  return { tn: d };
}

/** The canonical number, or undefined when `input` is not a telephone number. */
export function canonicalTn(input: string): string | undefined {
  const c = canonicalizeTn(input);
  return 'tn' in c ? c.tn : undefined;
}

export function requireTn(input: string, field: string): string {
  const c = canonicalizeTn(input);
  if ('problem' in c) throw badRequest('invalid_tn', `${field}: ${c.problem}`, [{ path: field, message: 'expected a telephone number with its country code (E.164)' }]);
  return c.tn;
}
