/**
 * How a text goes over SMPP: one `short_message` when it fits, else parts
 * joined by the phone from a concatenation UDH (8-bit reference). Plain ASCII
 * travels as GSM 7-bit (160 per message, 153 per part); anything else as UCS-2
 * (70, 67), the sizes every SMSC and handset agree on.
 */
export interface SmsSegment {
  /** The 6-byte concatenation header, absent for a single message. */
  udh?: Buffer;
  text: string;
}

const GSM_SAFE = /^[\x20-\x7e\n\r]*$/;

export function splitSms(text: string, ref: number): SmsSegment[] {
  const gsm = GSM_SAFE.test(text);
  // UCS-2 budgets count UTF-16 units (an emoji takes two); GSM text is ASCII here, one unit each.
  if (text.length <= (gsm ? 160 : 70)) return [{ text }];
  const budget = gsm ? 153 : 67;
  const parts: string[] = [];
  let current = '';
  // Packed by code point, so a surrogate pair is never cut in half.
  for (const ch of text) {
    if (current.length + ch.length > budget) {
      parts.push(current);
      current = '';
    }
    current += ch;
  }
  parts.push(current);
  if (parts.length > 255) throw new RangeError('SMS text too long');
  return parts.map((t, i) => ({ udh: Buffer.from([0x05, 0x00, 0x03, ref & 0xff, parts.length, i + 1]), text: t }));
}

/** A delivery receipt's text (SMPP 3.4 appendix B): `id:… sub:… dlvrd:… … stat:DELIVRD err:…`. */
export function parseReceipt(text: string): { messageId: string; stat: string } | null {
  const id = /\bid:(\S+)/i.exec(text)?.[1];
  const stat = /\bstat:(\S+)/i.exec(text)?.[1];
  return id && stat ? { messageId: id, stat: stat.toUpperCase() } : null;
}
