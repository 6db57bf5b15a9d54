import { concat, contextTag, decodeIa5, decodeUnsigned, DerError, encodeIa5, encodeTlv, encodeUnsigned, readOne, readTlvs, TAG } from './der.js';

/**
 * The TN Authorization List certificate extension (RFC 8226 §9, errata applied;
 * RFC 9060 delegate certificates list TNs and ranges). The ASN.1 module uses
 * EXPLICIT tags:
 *
 *   TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
 *   TNEntry ::= CHOICE { spc [0] ServiceProviderCode,           -- IA5String
 *                        range [1] TelephoneNumberRange,
 *                        one [2] TelephoneNumber }               -- IA5String "0-9#*"
 *   TelephoneNumberRange ::= SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX) }
 */
export const TN_AUTH_LIST_OID = '1.3.6.1.5.5.7.1.26';

export type TnEntry = { spc: string } | { range: { start: string; count: number } } | { one: string };

const TN_PATTERN = /^[0-9#*]{1,15}$/;

function checkTn(tn: string): string {
  if (!TN_PATTERN.test(tn)) throw new DerError(`"${tn}" is not a TelephoneNumber (1-15 of 0-9 # *)`);
  return tn;
}

export function encodeTnAuthList(entries: TnEntry[]): Uint8Array {
  if (entries.length === 0) throw new DerError('TNAuthorizationList needs at least one entry');
  const encoded = entries.map((e) => {
    if ('spc' in e) return encodeTlv(contextTag(0), encodeIa5(e.spc));
    if ('one' in e) return encodeTlv(contextTag(2), encodeIa5(checkTn(e.one)));
    if (e.range.count < 2) throw new DerError('a range covers at least 2 numbers');
    const seq = encodeTlv(TAG.sequence, concat([encodeIa5(checkTn(e.range.start)), encodeUnsigned(e.range.count)]));
    return encodeTlv(contextTag(1), seq);
  });
  return encodeTlv(TAG.sequence, concat(encoded));
}

export function decodeTnAuthList(der: Uint8Array): TnEntry[] {
  const list = readOne(der, TAG.sequence);
  const entries = readTlvs(list.value).map((node): TnEntry => {
    switch (node.tag) {
      case contextTag(0):
        return { spc: decodeIa5(readOne(node.value, TAG.ia5String)) };
      case contextTag(2):
        return { one: checkTn(decodeIa5(readOne(node.value, TAG.ia5String))) };
      case contextTag(1): {
        const [start, count, ...rest] = readTlvs(readOne(node.value, TAG.sequence).value);
        if (!start || !count || rest.length) throw new DerError('TelephoneNumberRange is SEQUENCE { start, count }');
        const range = { start: checkTn(decodeIa5(start)), count: decodeUnsigned(count) };
        if (range.count < 2) throw new DerError('a range covers at least 2 numbers');
        return { range };
      }
      default:
        throw new DerError(`unknown TNEntry tag 0x${node.tag.toString(16)}`);
    }
  });
  if (entries.length === 0) throw new DerError('empty TNAuthorizationList');
  return entries;
}

/**
 * Whether the list authorizes `tn` (digits only, as in PASSporT "orig"). A range
 * covers `count` consecutive numbers of the same length as `start`. An SPC entry
 * names a service provider, not numbers: SHAKEN SP certificates authorize the
 * provider's whole inventory, so an SPC entry covers every TN.
 */
export function tnAuthListCovers(entries: TnEntry[], tn: string): boolean {
  return entries.some((e) => {
    if ('spc' in e) return true;
    if ('one' in e) return e.one === tn;
    const { start, count } = e.range;
    if (tn.length !== start.length || !/^\d+$/.test(tn) || !/^\d+$/.test(start)) return false;
    const offset = BigInt(tn) - BigInt(start);
    return offset >= 0n && offset < BigInt(count);
  });
}

/** The smallest set of entries for a number list: consecutive runs become ranges. */
export function tnEntriesFor(tns: string[]): TnEntry[] {
  const sorted = [...new Set(tns)].sort((a, b) => a.length - b.length || (BigInt(a) < BigInt(b) ? -1 : 1));
  const out: TnEntry[] = [];
  let runStart = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i];
    if (cur && cur.length === prev.length && BigInt(cur) === BigInt(prev) + 1n) continue;
    const count = i - runStart;
    out.push(count === 1 ? { one: sorted[runStart]! } : { range: { start: sorted[runStart]!, count } });
    runStart = i;
  }
  return out;
}
