/** CSeq header values (RFC 3261 20.16). */
import { badHeader, isToken, MAX_CSEQ, parseUnsigned } from './grammar.js';

export interface CSeq {
  /** 0 .. 2**31-1 (RFC 3261 8.1.1.5). */
  seq: number;
  method: string;
}

/** Parses `1*DIGIT LWS Method`; overlarge numbers (scalar02.dat) throw. */
export function parseCSeq(value: string): CSeq {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
  if (!m) throw badHeader('CSeq must be "number method"');
  if (!isToken(m[2])) throw badHeader('CSeq method is not a token');
  return { seq: parseUnsigned(m[1], MAX_CSEQ, 'CSeq number'), method: m[2] };
}
