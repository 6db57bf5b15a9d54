import type { z } from 'zod';

/** True when A and B are assignable both ways (the same wire shape). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Pins a response schema to its protocol type: `wire<User>()(z.object({…}))` returns
 * the schema unchanged, and `tsc` fails when what the schema lets out differs from the
 * `@callsight/protocol` type in either direction (a field added, dropped, renamed or
 * retyped on one side only). The server then cannot drift from what the SDK and the
 * web apps are typed with; the protocol stays free of zod.
 */
export const wire =
  <T>() =>
  <S extends z.ZodType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : { 'zod output differs from the protocol type': T })): S =>
    schema;

/** The same for a request body: what a client may send (`z.input`) is exactly the protocol's input type. */
export const wireInput =
  <T>() =>
  <S extends z.ZodType>(schema: S & (Same<z.input<S>, T> extends true ? unknown : { 'zod input differs from the protocol type': T })): S =>
    schema;
