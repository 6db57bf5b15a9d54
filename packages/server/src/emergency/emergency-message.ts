import type { DetectorKind, EmergencyLocation } from '@callsight/protocol';

const WHAT: Record<DetectorKind, string> = {
  crash: 'a car crash',
  fall: 'a hard fall',
  smoke: 'a smoke alarm sounding',
  co: 'a carbon monoxide alarm sounding',
};

export const kindLabel = (k: DetectorKind) => ({ crash: 'Car crash', fall: 'Fall', smoke: 'Smoke alarm', co: 'Carbon monoxide alarm' })[k];

/** Digits spoken one by one, so a number is heard as it is written ("plus 1 5 5 5…"). */
const spellDigits = (s: string) => s.replace(/\+/g, 'plus ').replace(/(\d)(?=\d)/g, '$1 ');

/** Coordinates as spoken: "48.85840 north, 2.29450 east". */
/** The first sentence, always the same: what a PSAP (and the tests) recognise the message by. */
export const MESSAGE_OPENING = 'Automated emergency call.';

export function spokenCoordinates(lat: number, lon: number): string {
  const ns = lat >= 0 ? 'north' : 'south';
  const ew = lon >= 0 ? 'east' : 'west';
  return `${Math.abs(lat).toFixed(5)} ${ns}, ${Math.abs(lon).toFixed(5)} ${ew}`;
}

/**
 * What the PSAP hears, looped: what happened and how sure, where (coordinates and
 * radius, an address when known), whose device, the callback number, the keys.
 */
export function emergencyMessage(m: {
  kind: DetectorKind;
  confidence: number;
  detectedAt: number;
  location: EmergencyLocation | null;
  ownerName: string | null;
  callbackNumber: string | null;
  canBridge?: boolean;
  /** Say which keys do what (not in a data-only alert, which has no call to press them on). */
  keys?: boolean;
}): string {
  const time = new Date(m.detectedAt).toISOString().slice(11, 16);
  const parts = [`${MESSAGE_OPENING} A device detected ${WHAT[m.kind]} at ${time} UTC, ${Math.round(m.confidence * 100)} percent confidence.`];
  const loc = m.location;
  if (loc?.lat != null && loc.lon != null) parts.push(`Location: ${spokenCoordinates(loc.lat, loc.lon)}, within ${loc.radius ?? 0} metres.`);
  if (loc?.address) parts.push(`Address: ${loc.address}.`);
  if (!loc) parts.push('The location is unknown.');
  if (m.ownerName) parts.push(`The device belongs to ${m.ownerName}.`);
  if (m.callbackNumber) parts.push(`Call back on ${spellDigits(m.callbackNumber)}.`);
  if (m.keys !== false) parts.push(m.canBridge ? 'Press 1 to repeat. Press 0 to talk to the owner.' : 'Press 1 to repeat.');
  return parts.join(' ');
}

/** The SMS an emergency contact gets. */
export function contactSms(m: { deviceName: string; kind: DetectorKind; location: EmergencyLocation | null }): string {
  const loc = m.location;
  const where =
    loc?.lat != null && loc.lon != null
      ? `at ${loc.lat.toFixed(5)},${loc.lon.toFixed(5)} (±${loc.radius ?? 0} m) https://www.openstreetmap.org/?mlat=${loc.lat.toFixed(5)}&mlon=${loc.lon.toFixed(5)}${loc.address ? ` — ${loc.address}` : ''}`
      : loc?.address
        ? `at ${loc.address}`
        : 'at an unknown location';
  return `Emergency: ${m.deviceName} detected ${WHAT[m.kind]} ${where}. Emergency services are being called.`;
}
