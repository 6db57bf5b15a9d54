import type { CivicAddress, EmergencyLocation } from '@callsight/protocol';
import { el, isoTime, xmlEscape } from './xml.js';

/** RFC 5139 civic address elements, in the schema's order. */
const CIVIC_ORDER = ['country', 'A1', 'A3', 'RD', 'HNO', 'LOC', 'FLR', 'NAM', 'PC'] as const;

export interface PidfLoInput {
  /** Presentity: `pres:<device>@<host>`. */
  entity: string;
  /** A URN identifying the device (dm:deviceID). */
  deviceUrn: string;
  location: EmergencyLocation;
  /** When the location object is generated. */
  now?: number;
}

/**
 * A PIDF-LO (RFC 4119, shapes per RFC 5491) for a device: a Circle (WGS 84,
 * `urn:ogc:def:crs:EPSG::4326`, radius in metres, uom 9001) from GNSS, and a civic
 * address (RFC 5139) when the device registered one — each in a `dm:device` of
 * its own, as RFC 5491 3.4 asks for geodetic and civic location of one target.
 */
export function pidfLo(input: PidfLoInput): string {
  const { location: loc } = input;
  const now = input.now ?? Date.now();
  const usage = `<gp:usage-rules><gbp:retransmission-allowed>true</gbp:retransmission-allowed><gbp:retention-expiry>${isoTime(now + 24 * 3600_000)}</gbp:retention-expiry></gp:usage-rules>`;
  const device = (id: string, info: string, method: string, at: number) =>
    `<dm:device id="${xmlEscape(id)}"><gp:geopriv><gp:location-info>${info}</gp:location-info>${usage}<gp:method>${method}</gp:method></gp:geopriv><dm:deviceID>${xmlEscape(input.deviceUrn)}</dm:deviceID><dm:timestamp>${isoTime(at)}</dm:timestamp></dm:device>`;
  const parts: string[] = [];
  if (loc.lat !== null && loc.lon !== null) {
    const pos = `<gml:pos>${loc.lat.toFixed(6)} ${loc.lon.toFixed(6)}</gml:pos>`;
    const shape = loc.radius
      ? `<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326">${pos}<gs:radius uom="urn:ogc:def:uom:EPSG::9001">${loc.radius}</gs:radius></gs:Circle>`
      : `<gml:Point srsName="urn:ogc:def:crs:EPSG::4326">${pos}</gml:Point>`;
    parts.push(device('geo', shape, 'GPS', loc.time));
  }
  if (loc.civic) parts.push(device('civic', civicXml(loc.civic), 'Manual', now));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" ` +
    `xmlns:gbp="urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy" xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" ` +
    `xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0" entity="${xmlEscape(input.entity)}">` +
    parts.join('') +
    `</presence>\n`
  );
}

function civicXml(c: CivicAddress): string {
  return `<ca:civicAddress xml:lang="en">${CIVIC_ORDER.map((k) => el(`ca:${k}`, c[k])).join('')}</ca:civicAddress>`;
}
