import { z } from 'zod';
import type { Call } from '../call.js';
import { coreVerbSchemas, type FeatureVerbs, type Verb } from './flow-schema.js';

/** How a verb list finished: ran out of verbs, a `hangup`, or the call ended under it. */
export type FlowOutcome = 'done' | 'hangup' | 'ended';

/** A verb a feature adds to flows: its zod schema (the API contract and its OpenAPI text) and what it does. */
export interface VerbHandler<V> {
  /** A strict object schema whose `verb` is the literal name. */
  schema: z.ZodType<V>;
  /** Runs on the call; 'ended' when the call is over (the flow stops), nothing to go on with the next verb. */
  run(call: Call, verb: V): Promise<FlowOutcome | void>;
}

/**
 * The verbs flows may use on one server: the calls layer's own (say, dial, gather…)
 * and those features register in `setup` (deflect, room…). Its schema is built
 * from what is registered, so the API validates, and OpenAPI lists, exactly the
 * verbs this server can run.
 */
export class VerbRegistry {
  private readonly handlers = new Map<string, VerbHandler<never>>();
  private built?: z.ZodType<Verb>;
  /** One verb, any registered kind. */
  readonly verb: z.ZodType<Verb> = z.lazy(() => (this.built ??= this.build()));
  /** A flow: 1–100 verbs. */
  readonly list = z.array(this.verb).min(1).max(100);
  private readonly core = coreVerbSchemas(this.verb);

  register<K extends keyof FeatureVerbs & string>(name: K, handler: VerbHandler<FeatureVerbs[K]>): void {
    // The union is built on first use; a verb added later would be valid in the types but refused by the API.
    if (this.built) throw new Error(`verb "${name}" registered after the flow schema was built: register verbs in setup`);
    if (this.handlers.has(name) || this.core.some((schema) => schema.shape.verb.value === (name as string))) throw new Error(`verb "${name}" is registered twice`);
    this.handlers.set(name, handler as unknown as VerbHandler<never>);
  }

  /** The feature's handler for a verb the calls layer does not run itself. */
  handler(name: string): VerbHandler<{ verb: string }> | undefined {
    return this.handlers.get(name) as VerbHandler<{ verb: string }> | undefined;
  }

  private build(): z.ZodType<Verb> {
    const extra = [...this.handlers.values()].map((h) => h.schema);
    return z.discriminatedUnion('verb', [...this.core, ...extra] as never) as unknown as z.ZodType<Verb>;
  }
}
