import { CallsightApiError, CallsightClient } from '@callsight/sdk';

/** The apps are served by the server they talk to, so the session cookie authenticates every call. */
export const client = new CallsightClient({ baseUrl: window.location.origin });

export function isUnauthorized(err: unknown): boolean {
  return err instanceof CallsightApiError && err.status === 401;
}
