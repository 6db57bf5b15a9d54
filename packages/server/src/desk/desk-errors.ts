import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError } from '../core/errors.js';

/** Codes of the agent desktop and supervisor console: wrap-ups, reports, supervision and consult transfers. */
export const DESK_ERRORS = {
  wrap_up_not_pending: { status: 409, title: 'This call has no wrap-up waiting' },
  wrap_up_not_yours: { status: 409, title: 'This wrap-up belongs to another agent' },
  invalid_report_range: { status: 400, title: 'The report period is not valid' },
  supervision_unavailable: { status: 503, title: 'Calls cannot be supervised on this server (no telephony)' },
  not_supervising: { status: 404, title: 'You are not on this call' },
  not_your_call: { status: 403, title: 'This call is another agent’s' },
  consult_in_progress: { status: 409, title: 'A consult is already under way on this call' },
  no_consult: { status: 409, title: 'No consult is under way on this call' },
  consult_not_answered: { status: 409, title: 'The consulted party has not answered yet' },
  consult_self: { status: 400, title: 'You cannot consult yourself' },
  call_not_queued: { status: 409, title: 'This call did not come through a queue' },
  reassign_unsupported: { status: 409, title: 'This work cannot be moved that way' },
} as const satisfies ErrorSpecs;

export const deskErrors = {
  notPending: () => new CallsightError('wrap_up_not_pending', 'This call has no wrap-up waiting: it was wrapped up already, or it was not a call you took', { status: 409 }),
  notYours: () => new CallsightError('wrap_up_not_yours', 'This call was taken by another agent: only they wrap it up', { status: 409 }),
  noTelephony: () => new CallsightError('supervision_unavailable', 'Calls cannot be supervised here: this server runs without telephony', { status: 503 }),
  notSupervising: () => new CallsightError('not_supervising', 'You are not listening to this call', { status: 404 }),
  notYourCall: () => new CallsightError('not_your_call', 'This call is another agent’s: only they or a supervisor can transfer it', { status: 403 }),
  consulting: () => new CallsightError('consult_in_progress', 'A consult is already under way on this call: complete it, conference or go back to the caller first', { status: 409 }),
  noConsult: () => new CallsightError('no_consult', 'No consult is under way on this call: start one first', { status: 409 }),
  notAnswered: () => new CallsightError('consult_not_answered', 'The person you are calling has not answered yet', { status: 409 }),
  consultSelf: () => new CallsightError('consult_self', 'You are already on this call: choose a colleague or a number to consult', { status: 400 }),
  notQueued: () => new CallsightError('call_not_queued', 'This call did not come through a queue, so it cannot go back to one: transfer it to an agent or a number', { status: 409 }),
  reassignUnsupported: (why: string) => new CallsightError('reassign_unsupported', why, { status: 409 }),
  badRange: (why: string) => new CallsightError('invalid_report_range', `The report period is not valid: ${why}`, { status: 400 }),
};
