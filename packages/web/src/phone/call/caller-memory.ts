/**
 * Who each call was from, as this phone showed it while ringing (a verified brand
 * with its logo and reason, or a colleague the server named), so Recent can show
 * the same instead of a bare number. Kept on this device only, for the last calls.
 */
export interface RememberedCaller {
  name: string;
  verified: boolean;
  logo?: string;
  reason?: string;
}

const KEY = 'callsight.phone.callers';
const MAX = 100;

function load(): Record<string, RememberedCaller> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, RememberedCaller>;
  } catch {
    return {};
  }
}

export function rememberCaller(callId: string, caller: RememberedCaller): void {
  const all = load();
  all[callId] = caller;
  const ids = Object.keys(all);
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX))) delete all[old];
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    /* storage full or disabled: Recent shows the number */
  }
}

export function rememberedCaller(callId: string): RememberedCaller | undefined {
  return load()[callId];
}
