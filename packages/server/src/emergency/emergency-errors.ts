import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError } from '../core/errors.js';

/** Codes of emergency devices and calls. */
export const EMERGENCY_ERRORS = {
  device_key_invalid: { status: 401, title: 'Unknown device or device key' },
  device_key_revoked: { status: 401, title: 'The device key was revoked' },
  device_batch_invalid: { status: 400, title: 'The device data batch is malformed' },
  device_batch_too_large: { status: 413, title: 'The device data batch is too large' },
  emergency_not_cancellable: { status: 409, title: 'The emergency can no longer be cancelled' },
  emergency_owner_unknown: { status: 400, title: 'The device owner is not a user of this tenant' },
  emergency_vehicle_not_car: { status: 400, title: 'Only a car has vehicle data' },
} as const satisfies ErrorSpecs;

export const emergencyErrors = {
  keyInvalid: () => new CallsightError('device_key_invalid', 'Unknown device or device key', { status: 401 }),
  keyRevoked: () => new CallsightError('device_key_revoked', 'This device key was revoked; register the device again', { status: 401 }),
  batchInvalid: (message: string, fields?: { path: string; message: string }[]) => new CallsightError('device_batch_invalid', message, { status: 400, fields }),
  batchTooLarge: (what: string) => new CallsightError('device_batch_too_large', `The batch is too large: ${what}`, { status: 413 }),
  notCancellable: (state: string) => new CallsightError('emergency_not_cancellable', `The emergency is ${state}; only a countdown can be cancelled`, { status: 409 }),
  ownerUnknown: () => new CallsightError('emergency_owner_unknown', 'The owner must be a user of this tenant', { status: 400 }),
  vehicleNotCar: () => new CallsightError('emergency_vehicle_not_car', 'Vehicle data (VIN, category, propulsion) is for devices of kind car', { status: 400 }),
};
