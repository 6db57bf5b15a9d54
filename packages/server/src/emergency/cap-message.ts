import type { Telephony } from '../calls/telephony.js';
import { buildMultipart, type BodyPart } from '../sip/multipart.js';
import { capAlert, CAP_CONTENT_TYPE } from './cap-alert.js';
import { byReference, type EmergencyCallData } from './call-data.js';
import { emergencyMessage } from './emergency-message.js';
import type { EmergenciesTable, EmergencyDevicesTable } from './emergency-tables.js';

/**
 * A non-interactive emergency call (RFC 8876): one SIP MESSAGE to the PSAP with a CAP
 * 1.2 alert referenced from Call-Info (purpose EmergencyCallData.cap), the PIDF-LO
 * (Geolocation, RFC 6442) and the RFC 7852 blocks, as multipart/mixed. Resolves with
 * the PSAP's final status, or null when none came (timeout, unreachable).
 */
export async function sendCapMessage(
  tel: Telephony,
  m: { row: EmergenciesTable; device: EmergencyDevicesTable; data: EmergencyCallData; to: string; requestUri?: string; test: boolean },
): Promise<{ status: number | null; reason: string }> {
  const { row, device, data } = m;
  const cap = capAlert({
    identifier: row.id,
    sender: `${device.id}@${data.host}`,
    sentAt: Date.now(),
    test: m.test,
    kind: row.kind,
    confidence: row.confidence,
    deviceName: device.name,
    description: emergencyMessage({ kind: row.kind, confidence: row.confidence, detectedAt: Number(row.created_at), location: data.location, ownerName: null, callbackNumber: data.callback, keys: false }),
    location: data.location,
    contact: data.callback,
  });
  const parts: BodyPart[] = [byReference(CAP_CONTENT_TYPE, data.cid('cap'), cap)];
  const headers: Record<string, string | string[]> = { ...data.headers, 'Call-Info': [`<cid:${data.cid('cap')}>;purpose=EmergencyCallData.cap`, ...data.callInfo] };
  if (data.location) {
    parts.push(data.pidfPart(data.location));
    headers.Geolocation = `<cid:${data.cid('loc')}>`;
    headers['Geolocation-Routing'] = 'yes';
  }
  parts.push(...data.dataParts);
  const body = buildMultipart(parts);
  try {
    const res = await tel.endpoint.request({
      method: 'MESSAGE',
      target: m.requestUri ?? m.to,
      proxy: m.requestUri ? m.to : undefined,
      from: { uri: data.from },
      headers,
      body: body.body,
      contentType: body.contentType,
    });
    return { status: res.status, reason: res.reason };
  } catch (err) {
    return { status: null, reason: err instanceof Error ? err.message : String(err) };
  }
}
