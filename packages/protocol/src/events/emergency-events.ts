import type { DetectorKind, EmergencyLocation } from '../api/emergency.js';

/** Devices that call emergency services: every step of an emergency is an event of its interaction. */
export interface EmergencyEvents {
  'device.created': { deviceId: string; name: string; kind: string };
  'device.updated': { deviceId: string };
  'device.revoked': { deviceId: string };
  'emergency.detected': { emergencyId: string; deviceId: string; kind: DetectorKind; confidence: number; window: { start: number; end: number }; location: EmergencyLocation | null };
  'emergency.countdown': { emergencyId: string; deviceId: string; kind: DetectorKind; callAt: number; seconds: number; ownerUserId: string | null; location: EmergencyLocation | null };
  'emergency.cancelled': { emergencyId: string; by: string | null };
  'emergency.calling': { emergencyId: string; psap: string; attempt: number; callId: string };
  /** The PSAP answered 424 (RFC 6442): the INVITE went again with one location (`single`) or none. */
  'emergency.location.refused': { emergencyId: string; psap: string; code: number | null; reason: string | null; retriedWith: 'single' | 'none' };
  /** A car's INVITE carried its eCall Minimum Set of Data (RFC 8147), `bytes` long. */
  'emergency.msd.sent': { emergencyId: string; psap: string; bytes: number; version: number; testCall: boolean };
  /** An alarm's data-only alert (RFC 8876 SIP MESSAGE with CAP) was accepted by the PSAP. */
  'emergency.cap.sent': { emergencyId: string; psap: string; status: number; mode: 'alone' | 'pre-alert' };
  /** The PSAP refused the data-only alert or did not answer it (`status` null): the voice call follows. */
  'emergency.cap.refused': { emergencyId: string; psap: string; status: number | null; reason: string };
  'emergency.answered': { emergencyId: string; psap: string; callId: string };
  'emergency.message.played': { emergencyId: string; callId: string; times: number };
  'emergency.bridged': { emergencyId: string; callId: string; to: string };
  'emergency.contacted': { emergencyId: string; to: string; ok: boolean };
  'emergency.ended': { emergencyId: string; outcome: 'completed' | 'delivered' | 'unanswered' | 'failed'; reason: string };
}
