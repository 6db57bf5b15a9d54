import type { GatherVerb, Verb } from '../calls/flows/flow-schema.js';

export interface MenuChoice {
  digits: string;
  label: string;
}

/**
 * The visual menu mirrors the first `gather` of a flow: one choice per branch
 * (not `default`), labelled by the gather's `labels`, else by what the prompt
 * says ("press 1 for support, 2 for your balance"), else "Option 1".
 */
export function menuChoices(verbs: Verb[]): MenuChoice[] {
  const gather = firstGather(verbs);
  if (!gather) return [];
  const spoken = gather.prompt ? labelsFromPrompt(gather.prompt) : new Map<string, string>();
  return Object.keys(gather.branches)
    .filter((d) => d !== 'default')
    .map((digits) => ({ digits, label: gather.labels?.[digits] ?? spoken.get(digits) ?? `Option ${digits}` }));
}

function firstGather(verbs: Verb[]): GatherVerb | undefined {
  for (const v of verbs) if (v.verb === 'gather') return v;
  return undefined;
}

/** "Press 1 for support", "2 for your balance", "press 9 to hear an echo". */
const SPOKEN_CHOICE = /(?:press\s+)?([0-9*#]{1,4})\s+(?:for|to)\s+([^,.;:!?]+)/gi;

function labelsFromPrompt(prompt: Verb[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of prompt) {
    if (v.verb !== 'say') continue;
    for (const m of v.text.matchAll(SPOKEN_CHOICE)) {
      const label = m[2].trim();
      if (!out.has(m[1])) out.set(m[1], label.charAt(0).toUpperCase() + label.slice(1));
    }
  }
  return out;
}
