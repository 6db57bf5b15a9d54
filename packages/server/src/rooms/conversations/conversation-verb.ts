import { z } from 'zod';
import type { Call } from '../../calls/call.js';
import type { RoomCalls } from '../room-calls.js';
import type { ConversationRepo } from './conversation-repo.js';

/**
 * A phone caller listens to a conversation: it keys the conversation's code (shown to
 * everyone in it as "dial in"), then `#`, and hears the stage as a listener until it
 * hangs up, is removed, or the conversation ends; hosts can bring it up like anyone.
 * `code` fixes the conversation (a number for one standing show); `name` is how the
 * caller is listed, by default its number.
 */
export const conversationVerb = z
  .object({
    verb: z.literal('conversation'),
    code: z.string().regex(/^\d{6}$/, 'must be the six-digit code').optional(),
    name: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export type ConversationVerb = z.output<typeof conversationVerb>;

declare module '../../calls/flows/flow-schema.js' {
  interface FeatureVerbs {
    conversation: ConversationVerb;
  }
}

const ATTEMPTS = 3;
const KEY_TIMEOUT_MS = 8000;

export function runConversationVerb(repo: ConversationRepo, rooms: () => RoomCalls) {
  return async (call: Call, verb: ConversationVerb): Promise<'ended' | void> => {
    const tenantId = call.record.tenantId;
    const ended = () => call.state === 'ended';
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const code = verb.code ?? (await keyCode(call, attempt === 0 ? 'Enter the conversation code, then the hash key.' : 'That is not a live conversation. Enter the code again, then the hash key.'));
      if (ended()) return 'ended';
      const c = code ? await repo.byDialCode(tenantId, code) : null;
      if (c?.status === 'live') {
        await call.say(`You are listening to ${c.topic}.`);
        if (ended()) return 'ended';
        await rooms().join(call, { room: c.roomId, role: 'listener', ...(verb.name ? { name: verb.name } : {}) });
        return;
      }
      if (verb.code) break; // a fixed code that is not live now: nothing to key again
    }
    await call.say(verb.code ? 'This conversation is not live now. Goodbye.' : 'Goodbye.');
  };
}

/** Plays the prompt while collecting up to six keys and `#` (the first key stops the prompt). */
async function keyCode(call: Call, prompt: string): Promise<string> {
  const digits = call.collectDigits({ numDigits: 6, timeoutMs: KEY_TIMEOUT_MS, finishOnKey: '#', onFirstDigit: () => call.stopPlayback() });
  void call.say(prompt).catch(() => undefined);
  return digits;
}
