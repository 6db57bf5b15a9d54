import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError } from '../core/errors.js';

/** Codes of the agent desktop and supervisor console: wrap-ups and reports. */
export const DESK_ERRORS = {
  wrap_up_not_pending: { status: 409, title: 'This call has no wrap-up waiting' },
  wrap_up_not_yours: { status: 409, title: 'This wrap-up belongs to another agent' },
  invalid_report_range: { status: 400, title: 'The report period is not valid' },
  supervision_unavailable: { status: 503, title: 'Calls cannot be supervised on this server (no telephony)' },
  not_supervising: { status: 404, title: 'You are not on this call' },
} as const satisfies ErrorSpecs;

export const deskErrors = {
  notPending: () => new CallsightError('wrap_up_not_pending', 'This call has no wrap-up waiting: it was wrapped up already, or it was not a call you took', { status: 409 }),
  notYours: () => new CallsightError('wrap_up_not_yours', 'This call was taken by another agent: only they wrap it up', { status: 409 }),
  noTelephony: () => new CallsightError('supervision_unavailable', 'Calls cannot be supervised here: this server runs without telephony', { status: 503 }),
  notSupervising: () => new CallsightError('not_supervising', 'You are not listening to this call', { status: 404 }),
  badRange: (why: string) => new CallsightError('invalid_report_range', `The report period is not valid: ${why}`, { status: 400 }),
};
