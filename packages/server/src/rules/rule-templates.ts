import type { CxAction } from '@callsight/protocol';
import type { EngineEvent } from './rule-engine.js';

/**
 * `{{data.orderId}}`, `{{type}}`, `{{source}}` in an action's texts, filled in from the
 * event that completed the pattern. Only plain paths (no code): a missing value is
 * left empty; values are cut to 200 characters.
 */
export function fillTemplate(text: string, e: Pick<EngineEvent, 'type' | 'source' | 'data'>): string {
  return text.replace(/\{\{\s*([a-zA-Z_][\w.]*)\s*\}\}/g, (_m, path: string) => {
    const parts = path.split('.');
    let v: unknown = parts[0] === 'data' ? e.data : parts[0] === 'type' ? e.type : parts[0] === 'source' ? (e.source ?? 'callsight') : undefined;
    for (const p of parts.slice(1)) {
      if (!v || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return '';
      v = (v as Record<string, unknown>)[p];
    }
    if (v === undefined || v === null || typeof v === 'object') return '';
    return String(v).slice(0, 200);
  });
}

/** The actions with every text filled in. */
export function renderActions(actions: readonly CxAction[], e: Pick<EngineEvent, 'type' | 'source' | 'data'>): CxAction[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'whisper':
      case 'chat_message':
      case 'sms':
      case 'say':
        return { ...a, text: fillTemplate(a.text, e) };
      case 'card':
        return {
          ...a,
          card: {
            ...a.card,
            ...(a.card.title ? { title: fillTemplate(a.card.title, e) } : {}),
            ...(a.card.message ? { message: fillTemplate(a.card.message, e) } : {}),
            ...(a.card.values
              ? { values: Object.fromEntries(Object.entries(a.card.values).map(([k, v]) => [k, typeof v === 'string' ? fillTemplate(v, e) : v])) }
              : {}),
          },
        };
      default:
        return a;
    }
  });
}
