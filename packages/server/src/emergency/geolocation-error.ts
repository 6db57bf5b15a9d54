/**
 * RFC 6442 4.3: a 424 (Bad Location Information) names what was wrong in a
 * Geolocation-Error header; the INVITE is sent again with less location, never
 * given up for it — an emergency call reaches the PSAP without location rather
 * than not at all (the spoken message still says where).
 */

/** What an INVITE carries: every location (geodetic and civic), the one best location, or none. */
export type LocationConveyance = 'full' | 'single' | 'none';

export interface GeolocationError {
  /** 100 Cannot Process Location, 200–202 permissions, 300 Dereference Failure (RFC 6442 8.6). */
  code: number | null;
  text: string | null;
}

/** `Geolocation-Error: 100 ; code="Cannot Process Location"` (RFC 6442 4.4); absent or malformed → no code. */
export function parseGeolocationError(value: string | undefined): GeolocationError {
  const m = /^\s*(\d{1,3})\s*(?:;(.*))?$/.exec(value ?? '');
  if (!m) return { code: null, text: null };
  const text = /(?:^|;)\s*code\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(m[2] ?? '')?.[1]?.replace(/\\(.)/g, '$1') ?? null;
  return { code: Number(m[1]), text };
}

/**
 * The next INVITE's location after a 424, or null when nothing is left to drop. 100
 * (the recipient cannot process what it got) first tries one location object of one
 * shape, when there were two; every other code — permissions our usage rules and
 * `Geolocation-Routing: yes` already grant, a dereference failure of a location we
 * only send by value, a code we do not know — leaves location out.
 */
export function nextConveyance(current: LocationConveyance, error: GeolocationError, hasBoth: boolean): Exclude<LocationConveyance, 'full'> | null {
  if (current === 'none') return null;
  if (current === 'full' && error.code === 100 && hasBoth) return 'single';
  return 'none';
}
