import { createHash } from 'node:crypto';
import type { EmergencyLocation, EmergencySettings } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { BodyPart } from '../sip/multipart.js';
import { ADDITIONAL_DATA, additionalData, contentTypeOf } from './additional-data.js';
import { kindLabel } from './emergency-message.js';
import type { EmergenciesTable, EmergencyDevicesTable } from './emergency-tables.js';
import { pidfLo } from './pidf-lo.js';

/** What every request of an emergency carries, call or data-only alert: location, Additional Data, callback. */
export interface EmergencyCallData {
  host: string;
  callback: string | null;
  location: EmergencyLocation | null;
  /** A Content-ID (without brackets) for one part of this emergency. */
  cid: (what: string) => string;
  /** The RFC 7852 blocks by value, and the Call-Info values that reference them. */
  dataParts: BodyPart[];
  callInfo: string[];
  /** The PIDF-LO of `loc` as a part; Geolocation `<cid:…loc>` points at it. */
  pidfPart: (loc: EmergencyLocation) => BodyPart;
  from: string;
  headers: Record<string, string>;
}

const BY_REFERENCE = 'by-reference;handling=optional';

export async function emergencyCallData(ctx: AppContext, row: EmergenciesTable, device: EmergencyDevicesTable, settings: EmergencySettings): Promise<EmergencyCallData> {
  const host = ctx.config.sipPublicHost;
  const callback = device.callback_number ?? settings.callbackNumber;
  const location = row.location ? (JSON.parse(row.location) as EmergencyLocation) : null;
  const owner = device.owner_user_id ? await ctx.users.get(row.tenant_id, device.owner_user_id) : undefined;
  const cid = (what: string) => `${row.id}.${what}@${host}`;
  const info = device.device_info ? (JSON.parse(device.device_info) as { manufacturer?: string; model?: string; imei?: string }) : {};
  const blocks = additionalData({
    reference: (t) => `${row.id}.${t}@${host}`,
    providerName: 'callsight',
    providerId: host,
    providerContact: callback ? `tel:${callback}` : `sip:emergency@${host}`,
    device: { kind: device.kind, manufacturer: info.manufacturer, model: info.model, imei: info.imei, serial: device.id },
    subscriber: owner ? { name: settings.speakOwnerName ? owner.name : null, phone: owner.phoneNumber } : null,
    comment: `${kindLabel(row.kind)} detected by ${device.name} (confidence ${Math.round(row.confidence * 100)} %).`,
  });
  const headers: Record<string, string> = { Priority: 'emergency' };
  if (callback) headers['P-Asserted-Identity'] = `<sip:${callback}@${host};user=phone>`;
  return {
    host,
    callback,
    location,
    cid,
    dataParts: ADDITIONAL_DATA.map((t) => ({ contentType: contentTypeOf(t), contentId: `<${cid(t)}>`, disposition: BY_REFERENCE, body: blocks[t] })),
    callInfo: ADDITIONAL_DATA.map((t) => `<cid:${cid(t)}>;purpose=EmergencyCallData.${t}`),
    pidfPart: (loc) => ({ contentType: 'application/pidf+xml', contentId: `<${cid('loc')}>`, disposition: BY_REFERENCE, body: pidfLo({ entity: `pres:${device.id}@${host}`, deviceUrn: deviceUrn(device.id), location: loc }) }),
    from: callback ? `sip:${callback}@${host}` : `sip:emergency@${host}`,
    headers,
  };
}

export const byReference = (contentType: string, contentId: string, body: string | Buffer): BodyPart => ({ contentType, contentId: `<${contentId}>`, disposition: BY_REFERENCE, body });

/** A stable urn:uuid for a device id (PIDF-LO's dm:deviceID). */
export function deviceUrn(id: string): string {
  const h = createHash('sha256').update(id).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
