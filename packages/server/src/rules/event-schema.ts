import type { FieldIssue } from '../core/errors.js';

/**
 * The JSON Schema subset a tenant declares for a custom event type's `data`: `type`
 * (object, array, string, number, integer, boolean, null), `properties`, `required`,
 * `additionalProperties: false`, `enum`, `minimum`/`maximum`, `minLength`/`maxLength`/
 * `pattern`, `items`. Small on purpose: validated on every ingest, no code generated.
 */
export type SchemaNode = {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: SchemaNode;
  description?: string;
};

const KEYS = new Set(['type', 'properties', 'required', 'additionalProperties', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'items', 'description', 'title', '$schema']);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/** Issues with a schema itself (so a bad schema is refused when saved, not when an event arrives). */
export function checkSchema(node: unknown, path = 'body.schema', depth = 0): FieldIssue[] {
  if (depth > 8) return [{ path, message: 'nested too deeply (at most 8 levels)' }];
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [{ path, message: 'must be a JSON Schema object' }];
  const issues: FieldIssue[] = [];
  const n = node as Record<string, unknown>;
  for (const k of Object.keys(n)) if (!KEYS.has(k)) issues.push({ path: `${path}.${k}`, message: 'keyword not supported' });
  const types = n.type === undefined ? [] : Array.isArray(n.type) ? n.type : [n.type];
  for (const t of types) if (typeof t !== 'string' || !TYPES.has(t)) issues.push({ path: `${path}.type`, message: `unknown type ${JSON.stringify(t)}` });
  if (n.properties !== undefined) {
    if (!n.properties || typeof n.properties !== 'object') issues.push({ path: `${path}.properties`, message: 'must be an object' });
    else for (const [k, v] of Object.entries(n.properties)) issues.push(...checkSchema(v, `${path}.properties.${k}`, depth + 1));
  }
  if (n.items !== undefined) issues.push(...checkSchema(n.items, `${path}.items`, depth + 1));
  if (n.required !== undefined && !(Array.isArray(n.required) && n.required.every((x) => typeof x === 'string')))
    issues.push({ path: `${path}.required`, message: 'must be a list of field names' });
  if (n.pattern !== undefined) {
    if (typeof n.pattern !== 'string' || n.pattern.length > 200) issues.push({ path: `${path}.pattern`, message: 'must be a regular expression of at most 200 characters' });
    else
      try {
        new RegExp(n.pattern, 'u');
      } catch {
        issues.push({ path: `${path}.pattern`, message: 'is not a valid regular expression' });
      }
  }
  return issues;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);

/** Issues of a value against a schema, by path (`body.data.orderId`). */
export function validate(schema: SchemaNode, value: unknown, path = 'body.data', out: FieldIssue[] = []): FieldIssue[] {
  if (out.length >= 20) return out;
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!allowed.some((a) => a === t || (a === 'number' && t === 'integer'))) {
      out.push({ path, message: `must be ${allowed.join(' or ')}, not ${t}` });
      return out;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) out.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push({ path, message: `must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) out.push({ path, message: `must be at most ${schema.maximum}` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ path, message: `must be at least ${schema.minLength} characters` });
    if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push({ path, message: `must be at most ${schema.maxLength} characters` });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) out.push({ path, message: `must match ${schema.pattern}` });
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) out.push({ path: `${path}.${r}`, message: 'is required' });
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties?.[k];
      if (p) validate(p, v, `${path}.${k}`, out);
      else if (schema.additionalProperties === false) out.push({ path: `${path}.${k}`, message: 'unknown field' });
    }
  }
  if (t === 'array' && schema.items) (value as unknown[]).forEach((v, i) => validate(schema.items!, v, `${path}.${i}`, out));
  return out;
}
