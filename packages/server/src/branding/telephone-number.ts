import { badRequest } from '../core/errors.js';

/**
 * PASSporT carries telephone numbers in canonical form (RFC 8224 §8.3): digits
 * only, no "+", no visual separators. `+1 (555) 010-0` → `15550100`.
 */
export function canonicalTn(input: string): string | undefined {
  const stripped = input.replace(/^tel:/i, '').replace(/[\s().-]/g, '').replace(/^\+/, '');
  return /^\d{1,15}$/.test(stripped) ? stripped : undefined;
}

export function requireTn(input: string, field: string): string {
  const tn = canonicalTn(input);
  if (!tn) throw badRequest('invalid_tn', `${field}: "${input}" is not a telephone number`, [{ path: field, message: 'expected E.164 digits' }]);
  return tn;
}
