import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError } from '../core/errors.js';

/** Codes of SMS. */
export const SMS_ERRORS = {
  sms_unavailable: { status: 503, title: 'The SMS gateway is unavailable' },
  sms_not_configured: { status: 503, title: 'No SMS gateway is configured' },
  sms_rejected: { status: 502, title: 'The SMS gateway refused the message' },
  invalid_body: { status: 400, title: 'Not an SMS gateway message' },
} as const satisfies ErrorSpecs;

/** Why an SMS could not be sent: the SMSC is unreachable (503), or it refused the message (502). */
export const smsErrors = {
  unavailable: (why: string) => new CallsightError('sms_unavailable', `SMS gateway unavailable: ${why}`, { status: 503 }),
  notConfigured: () => new CallsightError('sms_not_configured', 'No SMS gateway is configured (CALLSIGHT_SMPP_URL or CALLSIGHT_SMS_WEBHOOK_URL)', { status: 503 }),
  refused: (why: string) => new CallsightError('sms_rejected', `The SMS gateway refused the message: ${why}`, { status: 502 }),
  rejected: (status: number) => new CallsightError('sms_rejected', `The SMSC refused the message (command_status 0x${status.toString(16)})`, { status: 502 }),
};
