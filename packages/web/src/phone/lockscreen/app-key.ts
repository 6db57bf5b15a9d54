import { client } from '../../shared/api';

/** The tenant's app key that signs call metadata, fetched once per page load; a failure is retried next time. */
let appKey: Promise<JsonWebKey> | undefined;

export function fetchAppKey(): Promise<JsonWebKey> {
  appKey ??= client.branding.appKey();
  appKey.catch(() => (appKey = undefined));
  return appKey;
}
