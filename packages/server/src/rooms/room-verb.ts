import { z } from 'zod';

/**
 * Puts the call in an audio room as a participant until it leaves (removed by a host,
 * room closed); then the flow goes on. `room` is a room id or a name (created on first
 * use). Rooms with SIP callers use PCMU, so the caller's audio is never transcoded.
 */
export const roomVerb = z
  .object({
    verb: z.literal('room'),
    room: z.string().trim().min(1).max(120),
    role: z.enum(['speaker', 'listener']).default('speaker'),
    name: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export type RoomVerb = z.output<typeof roomVerb>;

declare module '../calls/flows/flow-schema.js' {
  interface FeatureVerbs {
    room: RoomVerb;
  }
}
