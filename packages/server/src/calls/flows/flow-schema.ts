import { z } from 'zod';

/**
 * A flow is a list of verbs run in order on a call, like TwiML or jambonz.
 * The schema is the API contract and the OpenAPI description of the verbs;
 * `gather` and `webhook` branch by running other verb lists.
 */
const text = z.string().min(1).max(2000);
const audioUrl = z
  .string()
  .max(2000)
  .regex(/^(https?:\/\/|recording:rec_|builtin:)/, 'must be an http(s) URL, recording:<id> or builtin:<name>');

export const sayVerb = z.object({ verb: z.literal('say'), text, voice: z.string().max(40).optional(), loop: z.number().int().min(1).max(10).default(1) }).strict();
export const playVerb = z.object({ verb: z.literal('play'), url: audioUrl, loop: z.number().int().min(1).max(10).default(1) }).strict();
export const pauseVerb = z.object({ verb: z.literal('pause'), seconds: z.number().min(0.1).max(60) }).strict();
export const hangupVerb = z.object({ verb: z.literal('hangup'), reason: z.string().max(100).optional() }).strict();
export const echoVerb = z.object({ verb: z.literal('echo'), seconds: z.number().min(1).max(3600).default(600) }).strict();
export const recordVerb = z
  .object({ verb: z.literal('record'), maxSeconds: z.number().int().min(1).max(3600).default(60), beep: z.boolean().default(true), finishOnKey: z.string().regex(/^[0-9*#]$/).optional() })
  .strict();
export const dialVerb = z
  .object({
    verb: z.literal('dial'),
    /** sip:/sips: URI, a tenant number (E.164 or extension), or `user:<usr_id>`. */
    target: z.string().min(1).max(500),
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
    callerId: z.string().max(100).optional(),
  })
  .strict();
export const redirectVerb = z.object({ verb: z.literal('redirect'), flow: z.string().min(1).max(100) }).strict();
/**
 * Verbs features add (deflect, room, enqueue…), each with its schema and handler in
 * the feature's folder (calls/flows/verb-registry.ts):
 *
 *   declare module '../calls/flows/flow-schema.js' { interface FeatureVerbs { deflect: DeflectVerb } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FeatureVerbs {}

/** The verbs the calls layer runs itself. */
export type CoreVerb =
  | z.output<typeof sayVerb>
  | z.output<typeof playVerb>
  | z.output<typeof pauseVerb>
  | z.output<typeof hangupVerb>
  | z.output<typeof echoVerb>
  | z.output<typeof recordVerb>
  | z.output<typeof dialVerb>
  | z.output<typeof redirectVerb>
  | GatherVerb
  | WebhookVerb;

export type Verb = CoreVerb | FeatureVerbs[keyof FeatureVerbs];

export interface GatherVerb {
  verb: 'gather';
  prompt?: Verb[];
  numDigits: number;
  timeoutSeconds: number;
  finishOnKey?: string;
  /** Verbs to run per collected digit string; `default` when nothing matches. */
  branches: Record<string, Verb[]>;
  noInput?: Verb[];
  /** Repeat the prompt this many times when nothing is entered. */
  attempts: number;
  /** What each branch is for, shown on the visual menu (otherwise read from the prompt: "press 1 for sales"). */
  labels?: Record<string, string>;
}

export interface WebhookVerb {
  verb: 'webhook';
  url: string;
  /** Sent with the call context; the response `{ verbs: [...] }` continues the flow. */
  timeoutSeconds: number;
}

const webhookVerb = z
  .object({
    verb: z.literal('webhook'),
    url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be http(s)'),
    timeoutSeconds: z.number().min(1).max(30).default(5),
  })
  .strict();

/** The calls layer's verb schemas; `gather` nests verbs, so it is built around the server's whole verb schema. */
export function coreVerbSchemas(verb: z.ZodType<Verb>) {
  const gatherVerb = z
    .object({
      verb: z.literal('gather'),
      prompt: z.array(verb).max(20).optional(),
      numDigits: z.number().int().min(1).max(32).default(1),
      timeoutSeconds: z.number().min(1).max(60).default(5),
      finishOnKey: z.string().regex(/^[0-9*#]$/).optional(),
      branches: z.record(z.string().regex(/^([0-9*#]{1,32}|default)$/, 'must be digits or "default"'), z.array(verb).max(100)).default({}),
      noInput: z.array(verb).max(100).optional(),
      attempts: z.number().int().min(1).max(5).default(2),
      labels: z.record(z.string().regex(/^[0-9*#]{1,32}$/, 'must be the digits of a branch'), z.string().min(1).max(100)).optional(),
    })
    .strict();
  return [sayVerb, playVerb, pauseVerb, hangupVerb, echoVerb, recordVerb, dialVerb, redirectVerb, gatherVerb, webhookVerb] as const;
}
