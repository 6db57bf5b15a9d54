import type { DetectorKind, DeviceKind, EmergencyLocation, EmergencyState } from '@callsight/sdk';

/** What a person calls each detector and device kind, and each state of an emergency. */
export const KIND_TEXT: Record<DetectorKind, string> = { crash: 'Car crash', fall: 'Hard fall', smoke: 'Smoke alarm', co: 'Carbon monoxide alarm' };
export const DEVICE_KIND_TEXT: Record<DeviceKind, string> = { car: 'Car', wearable: 'Wearable', phone: 'Phone', alarm: 'Smoke / CO alarm' };
export const STATE_TEXT: Record<EmergencyState, string> = {
  countdown: 'Counting down',
  cancelled: 'Cancelled',
  calling: 'Calling emergency services',
  answered: 'Connected to emergency services',
  ended: 'Ended',
  failed: 'Nobody answered',
};
export const STATE_PILL: Record<EmergencyState, string> = {
  countdown: 'pill pill-warn',
  cancelled: 'pill pill-muted',
  calling: 'pill pill-bad',
  answered: 'pill pill-ok',
  ended: 'pill pill-muted',
  failed: 'pill pill-bad',
};

/** "48.85840° N, 2.29450° E" */
export function formatCoordinates(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(5)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(5)}° ${lon >= 0 ? 'E' : 'W'}`;
}

/** Coordinates with their uncertainty, else the address, else that nobody knows. */
export function locationLines(loc: EmergencyLocation | null): { coordinates: string | null; radius: string | null; address: string | null; map: string | null } {
  if (!loc) return { coordinates: null, radius: null, address: null, map: null };
  const has = loc.lat != null && loc.lon != null;
  return {
    coordinates: has ? formatCoordinates(loc.lat!, loc.lon!) : null,
    radius: loc.radius != null ? `within ${loc.radius} m` : null,
    address: loc.address,
    map: has ? `https://www.openstreetmap.org/?mlat=${loc.lat!.toFixed(5)}&mlon=${loc.lon!.toFixed(5)}#map=17/${loc.lat!.toFixed(5)}/${loc.lon!.toFixed(5)}` : null,
  };
}

/** A PSAP route as people read it: the emergency service for a service URN, the number or SIP address otherwise. */
export function psapText(p: string): string {
  const urn = /^urn:service:(.+)$/i.exec(p);
  if (urn) {
    const s = urn[1].toLowerCase();
    if (s.startsWith('test.')) return 'Test emergency service';
    if (s === 'sos') return 'Emergency services';
    return `Emergency services (${s.replace(/^sos\./, '')})`;
  }
  return p.replace(/^sips?:/, '');
}
