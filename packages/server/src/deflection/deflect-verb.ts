import { z } from 'zod';

const text = z.string().min(1).max(2000);

/**
 * Offers the caller to continue on the web: an SMS link to their number, the
 * call on hold until they open it (the call then ends, cause `deflected`) or
 * until `timeoutSeconds`, when the flow goes on with the next verb. The link
 * opens a chat, a visual menu of the number's `gather` choices (leading to chat,
 * a message or a callback), or a callback booking page.
 */
export const deflectVerb = z
  .object({
    verb: z.literal('deflect'),
    to: z.enum(['chat', 'menu', 'callback']).default('chat'),
    announcement: text.optional(),
    /** Repeated while the caller waits. */
    holdAnnouncement: text.optional(),
    queue: z.string().min(1).max(100).default('support'),
    timeoutSeconds: z.number().int().min(2).max(600).default(120),
  })
  .strict();

export type DeflectVerb = z.output<typeof deflectVerb>;

declare module '../calls/flows/flow-schema.js' {
  interface FeatureVerbs {
    deflect: DeflectVerb;
  }
}
