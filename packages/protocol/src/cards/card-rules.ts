import type { FieldIssue } from '../api/core.js';

/**
 * What a card may hold and how its values are checked. Pure TypeScript: the /phone
 * app and the agent's composer run exactly this code before submitting, and the
 * server runs it again before storing, so the two can never disagree about what
 * is valid.
 */

export type CardKind = 'address' | 'payment' | 'appointment' | 'order' | 'identity' | 'form';
export const CARD_KINDS = ['address', 'payment', 'appointment', 'order', 'identity', 'form'] as const satisfies readonly CardKind[];

export type CardFieldType = 'string' | 'number' | 'date' | 'enum' | 'boolean';
export type CardFieldValue = string | number | boolean | null;
export type CardValues = Record<string, CardFieldValue>;

export interface CardField {
  name: string;
  label: string;
  type: CardFieldType;
  required?: boolean;
  /** Whole-value regular expression for strings (anchored when checked). */
  pattern?: string;
  /** Bounds: the value for numbers, the length for strings. */
  min?: number;
  max?: number;
  /** The choices of an enum field. */
  options?: string[];
  /** Extra check beyond the pattern, for values with a checksum. */
  format?: 'iban';
  /** Shown for context; the customer cannot change it. */
  readOnly?: boolean;
}

export interface OrderItem {
  name: string;
  qty: number;
  /** Unit price in the card's currency. */
  price: number;
}

const text = (name: string, label: string, extra: Partial<CardField> = {}): CardField => ({ name, label, type: 'string', max: 200, ...extra });

/** The fixed fields of each template kind; `form` cards bring their own. */
export function templateFields(kind: Exclude<CardKind, 'form'>, opts: { slots?: string[] } = {}): CardField[] {
  switch (kind) {
    case 'address':
      return [
        text('line1', 'Address line 1', { required: true }),
        text('line2', 'Address line 2'),
        text('city', 'City', { required: true }),
        text('postcode', 'Postcode', { required: true, pattern: '[A-Za-z0-9][A-Za-z0-9 -]{1,10}' }),
        text('country', 'Country (ISO code)', { required: true, pattern: '[A-Z]{2}' }),
      ];
    case 'payment':
      return [
        { name: 'amount', label: 'Amount', type: 'number', required: true, min: 0.01, max: 1_000_000_000 },
        text('currency', 'Currency', { required: true, pattern: '[A-Z]{3}' }),
        text('payeeName', 'Payee', { required: true, min: 1 }),
        text('iban', 'IBAN', { required: true, format: 'iban', pattern: '[A-Z]{2}[0-9]{2}[A-Z0-9 ]{8,40}' }),
      ];
    case 'appointment':
      return [{ name: 'slot', label: 'Appointment', type: 'enum', required: true, options: opts.slots ?? [] }];
    case 'order':
      return [
        { name: 'total', label: 'Total', type: 'number', readOnly: true },
        text('currency', 'Currency', { readOnly: true, pattern: '[A-Z]{3}' }),
      ];
    case 'identity':
      return [text('fullName', 'Full name', { required: true, min: 1 }), { name: 'dateOfBirth', label: 'Date of birth', type: 'date', required: true }];
  }
}

/** Order totals are computed, never typed: what the customer confirms adds up. */
export const orderTotal = (items: OrderItem[]): number => Math.round(items.reduce((sum, i) => sum + i.qty * i.price, 0) * 100) / 100;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** ISO 13616 mod-97 check: catches every single-character typo and most swaps. */
export function isValidIban(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const n = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of n) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

const isEmpty = (v: CardFieldValue | undefined) => v === undefined || v === null || v === '';

function checkValue(field: CardField, value: CardFieldValue): string | null {
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') return 'must be text';
      if (field.min !== undefined && value.length < field.min) return `must be at least ${field.min} characters`;
      if (field.max !== undefined && value.length > field.max) return `must be at most ${field.max} characters`;
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) return 'has the wrong format';
      if (field.format === 'iban' && !isValidIban(value)) return 'is not a valid IBAN (check digits do not match)';
      return null;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (field.min !== undefined && value < field.min) return `must be at least ${field.min}`;
      if (field.max !== undefined && value > field.max) return `must be at most ${field.max}`;
      return null;
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? null : 'must be a date (YYYY-MM-DD)';
    case 'enum':
      return typeof value === 'string' && (field.options ?? []).includes(value) ? null : `must be one of ${(field.options ?? []).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/**
 * Checks values against fields. `complete` demands every required field (a
 * customer's answer); without it empty fields pass (an agent may leave a field
 * for the customer to fill). Unknown names are always an issue.
 */
export function validateValues(fields: CardField[], values: CardValues, opts: { complete: boolean; pathPrefix?: string }): FieldIssue[] {
  const prefix = opts.pathPrefix ?? 'values';
  const issues: FieldIssue[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const name of Object.keys(values)) {
    if (!byName.has(name)) issues.push({ path: `${prefix}.${name}`, message: 'is not a field of this card' });
  }
  for (const field of fields) {
    const value = values[field.name];
    if (isEmpty(value)) {
      if (opts.complete && field.required) issues.push({ path: `${prefix}.${field.name}`, message: 'is required' });
      continue;
    }
    const problem = checkValue(field, value as CardFieldValue);
    if (problem) issues.push({ path: `${prefix}.${field.name}`, message: `${field.label} ${problem}` });
  }
  return issues;
}

export interface CardChange {
  field: string;
  from: CardFieldValue;
  to: CardFieldValue;
}

/** The fields whose answered value differs from what was shown. */
export function diffValues(fields: CardField[], shown: CardValues, answered: CardValues): CardChange[] {
  const changes: CardChange[] = [];
  for (const f of fields) {
    const from = shown[f.name] ?? null;
    const to = answered[f.name] ?? null;
    if (from !== to) changes.push({ field: f.name, from, to });
  }
  return changes;
}

/**
 * A customer "corrected" the card when they changed something the agent had
 * filled in; filling a blank (picking a slot) is still a confirmation.
 */
export const isCorrection = (changes: CardChange[]) => changes.some((c) => c.from !== null && c.from !== '');

/** The answer the customer sends: what they saw (read-only fields) stays as shown. */
export function mergeAnswer(fields: CardField[], shown: CardValues, edits: CardValues): CardValues {
  const out: CardValues = {};
  for (const f of fields) {
    const edited = !f.readOnly && Object.prototype.hasOwnProperty.call(edits, f.name);
    const value = edited ? edits[f.name] : shown[f.name];
    if (value !== undefined) out[f.name] = value;
  }
  return out;
}
