import { Environment, ParseError } from '@marcbachmann/cel-js';

/**
 * Rule conditions are CEL (Common Expression Language) run by @marcbachmann/cel-js:
 * no `eval`, no loops, no access to anything but the two variables. Cost is bounded
 * at save: at most MAX_NODES AST nodes, MAX_DEPTH nesting, and at most one level of
 * comprehension (`all`, `exists`, `map`, `filter`) — a nested comprehension over
 * event data is quadratic in its size, so it is refused.
 */
export const MAX_NODES = 120;
export const MAX_DEPTH = 16;
export const MAX_COMPREHENSION_NESTING = 1;
export const MAX_SOURCE = 1000;

const env = new Environment({
  limits: { maxAstNodes: MAX_NODES * 4, maxDepth: MAX_DEPTH * 2, maxListElements: 50, maxMapEntries: 50, maxCallArguments: 8 },
})
  .registerVariable('event', 'map')
  .registerVariable('customer', 'map');

export interface ExpressionError {
  message: string;
  /** 0-based character offset in the expression. */
  position: number;
}

export type Condition = (vars: { event: unknown; customer: unknown }) => boolean;

export type Compiled = { ok: true; fn: Condition; cost: number } | { ok: false; error: ExpressionError };

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
  start?: number;
}

/** Node count and deepest comprehension nesting of a parsed expression. */
function measure(node: unknown, depth = 0, nest = 0, acc = { nodes: 0, depth: 0, nest: 0, at: 0 }): typeof acc {
  if (Array.isArray(node)) {
    for (const n of node) measure(n, depth, nest, acc);
    return acc;
  }
  if (!node || typeof node !== 'object' || !('op' in node)) return acc;
  const n = node as AstNode;
  acc.nodes++;
  acc.depth = Math.max(acc.depth, depth);
  let inner = nest;
  if (n.op === 'rcall' && Array.isArray(n.args) && COMPREHENSIONS.has(String(n.args[0]))) {
    inner = nest + 1;
    if (inner > acc.nest) {
      acc.nest = inner;
      acc.at = n.start ?? n.pos ?? 0;
    }
  }
  if (Array.isArray(n.args)) for (const a of n.args) measure(a, depth + 1, a === n.args[1] && n.op === 'rcall' ? nest : inner, acc);
  return acc;
}

/** Parses, type-checks and cost-checks an expression; errors carry the position in the source. */
export function compileCondition(source: string): Compiled {
  if (source.length > MAX_SOURCE) return { ok: false, error: { message: `The expression is longer than ${MAX_SOURCE} characters`, position: MAX_SOURCE } };
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(source);
  } catch (err) {
    if (err instanceof ParseError || (err as { range?: unknown }).range) {
      const e = err as { summary?: string; message: string; range?: { start: number } };
      return { ok: false, error: { message: e.summary ?? e.message.split('\n')[0]!, position: e.range?.start ?? 0 } };
    }
    const e = err as Error;
    return { ok: false, error: { message: e.message.split('\n')[0]!, position: 0 } };
  }
  const m = measure(parsed.ast);
  if (m.nodes > MAX_NODES) return { ok: false, error: { message: `The expression is too costly: ${m.nodes} terms (at most ${MAX_NODES})`, position: 0 } };
  if (m.depth > MAX_DEPTH) return { ok: false, error: { message: `The expression nests too deeply (at most ${MAX_DEPTH} levels)`, position: 0 } };
  if (m.nest > MAX_COMPREHENSION_NESTING)
    return { ok: false, error: { message: 'The expression is too costly: a list macro (all, exists, map, filter) inside another may run unbounded', position: m.at } };
  const checked = parsed.check();
  if (!checked.valid) {
    const e = checked.error as { summary?: string; message: string; range?: { start: number } } | undefined;
    return { ok: false, error: { message: e?.summary ?? e?.message.split('\n')[0] ?? 'Invalid expression', position: e?.range?.start ?? 0 } };
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn')
    return { ok: false, error: { message: `The condition must be true or false, not ${checked.type}`, position: 0 } };
  const fn: Condition = (vars) => {
    try {
      return parsed(vars) === true;
    } catch {
      // A field missing from this event's data is "does not match", not an error.
      return false;
    }
  };
  return { ok: true, fn, cost: m.nodes };
}
