/**
 * The Replaces header (RFC 3891 6.1): `callid;to-tag=x;from-tag=y[;early-only]`.
 * to-tag and from-tag are as seen by the target of the INVITE, i.e. the
 * dialog on the *receiving* side has local tag = to-tag.
 */
export interface ReplacesValue {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

export function parseReplaces(value: string): ReplacesValue | undefined {
  const parts = value.split(';').map((p) => p.trim());
  const callId = parts.shift();
  if (!callId || /\s/.test(callId)) return undefined;
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const p of parts) {
    const eq = p.indexOf('=');
    const name = (eq === -1 ? p : p.slice(0, eq)).trim().toLowerCase();
    const val = eq === -1 ? '' : p.slice(eq + 1).trim();
    if (name === 'to-tag') toTag = val;
    else if (name === 'from-tag') fromTag = val;
    else if (name === 'early-only') earlyOnly = true;
  }
  if (!toTag || !fromTag) return undefined;
  return { callId, toTag, fromTag, earlyOnly };
}

export function formatReplaces(r: ReplacesValue): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}
