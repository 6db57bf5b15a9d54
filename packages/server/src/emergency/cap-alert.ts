import type { DetectorKind, EmergencyLocation } from '@callsight/protocol';
import { el } from './xml.js';

export const CAP_CONTENT_TYPE = 'application/common-alerting-protocol+xml';

/** CAP 1.2 categories and event names per detector: smoke is a fire; carbon monoxide is a public-safety hazard. */
const CATEGORY: Record<DetectorKind, string> = { smoke: 'Fire', co: 'Safety', crash: 'Transport', fall: 'Health' };
const EVENT: Record<DetectorKind, string> = { smoke: 'Smoke alarm', co: 'Carbon monoxide alarm', crash: 'Vehicle crash', fall: 'Fall' };

/** CAP DateTime: an explicit offset, never "Z" (CAP 1.2 3.3.2). */
const capTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/**
 * A CAP 1.2 alert (OASIS) for a non-interactive emergency call (RFC 8876): what the
 * device detected, how sure (certainty), where (a circle in WGS 84, radius in km, and the
 * address), and the spoken message's text as description. Elements are in the schema's
 * order.
 */
export function capAlert(a: {
  identifier: string;
  sender: string;
  sentAt: number;
  test: boolean;
  kind: DetectorKind;
  confidence: number;
  deviceName: string;
  description: string;
  location: EmergencyLocation | null;
  contact: string | null;
}): string {
  const loc = a.location;
  const coords = loc?.lat != null && loc.lon != null ? `${loc.lat.toFixed(6)},${loc.lon.toFixed(6)}` : null;
  const areaDesc = loc?.address ?? (coords ? `Near ${coords}` : 'Location unknown');
  const circle = coords ? el('circle', `${coords} ${((loc?.radius ?? 0) / 1000).toFixed(3)}`) : '';
  const info =
    el('language', 'en-US') +
    el('category', CATEGORY[a.kind]) +
    el('event', EVENT[a.kind]) +
    el('responseType', a.kind === 'smoke' ? 'Evacuate' : 'Assess') +
    el('urgency', 'Immediate') +
    el('severity', 'Severe') +
    el('certainty', a.confidence >= 0.5 ? 'Likely' : 'Possible') +
    el('senderName', `callsight · ${a.deviceName}`) +
    el('headline', `${EVENT[a.kind]}: ${a.deviceName}`) +
    el('description', a.description) +
    el('contact', a.contact) +
    `<parameter>${el('valueName', 'detectorConfidence')}${el('value', a.confidence.toFixed(2))}</parameter>` +
    `<area>${el('areaDesc', areaDesc)}${circle}</area>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">` +
    el('identifier', a.identifier) +
    el('sender', a.sender) +
    el('sent', capTime(a.sentAt)) +
    el('status', a.test ? 'Test' : 'Actual') +
    el('msgType', 'Alert') +
    el('scope', 'Public') +
    `<info>${info}</info></alert>\n`
  );
}
