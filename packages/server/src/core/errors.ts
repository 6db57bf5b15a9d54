/**
 * Typed errors with stable codes. The HTTP layer maps them to problem+json;
 * the SIP layer maps them to SIP responses. Codes are part of the public API:
 * never rename one, add new ones instead. Each folder declares its codes in its
 * `*-errors.ts` (status and title); `ErrorCode` is their union.
 */
import type { ErrorCode } from '../error-catalogue.js';

export type { ErrorCode };

export interface FieldIssue {
  /** JSON path of the offending field, e.g. "body.email" or "body.items.2.qty". */
  path: string;
  message: string;
  /** For an expression field: the 0-based character offset of the error in it. */
  position?: number;
}

export class CallsightError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: FieldIssue[];
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, opts: { status?: number; fields?: FieldIssue[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'CallsightError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.fields = opts.fields;
    this.cause = opts.cause;
  }
}

export const badRequest = (code: ErrorCode, message: string, fields?: FieldIssue[]) =>
  new CallsightError(code, message, { status: 400, fields });
export const unauthorized = (message = 'Authentication required') =>
  new CallsightError('unauthorized', message, { status: 401 });
export const forbidden = (message = 'Not allowed') => new CallsightError('forbidden', message, { status: 403 });
export const notFound = (what: string) => new CallsightError('not_found', `${what} not found`, { status: 404 });
export const conflict = (code: ErrorCode, message: string) => new CallsightError(code, message, { status: 409 });
export const tooManyRequests = (message: string) =>
  new CallsightError('rate_limited', message, { status: 429 });
