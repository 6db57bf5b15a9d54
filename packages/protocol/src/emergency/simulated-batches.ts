import type { DeviceBatch, DeviceKind } from '../api/emergency.js';
import { crashSignal, fallSignal, pcm16ToBase64, smokeAlarmSignal, type MotionSignal } from './device-signals.js';

export type Simulation = 'crash' | 'fall' | 'smoke';

/** Which devices can send each simulation, best first. */
export const SIMULATION_DEVICES: Record<Simulation, DeviceKind[]> = { crash: ['car', 'phone'], fall: ['wearable', 'phone'], smoke: ['alarm', 'phone'] };

const DEVICE_INFO = { manufacturer: 'callsight', model: 'Device simulator', os: 'web' };
const seconds = (s: MotionSignal) => s.accel.length / s.rate;

/**
 * What a device would send, generated and timed to end now: a car's 20 s around a
 * 58 km/h crash with its GNSS fixes, a wearable's fall and the minute lying still
 * after it, an alarm's microphone hearing a temporal-three smoke alarm.
 */
export function simulatedBatch(what: Simulation, at = { lat: 48.8584, lon: 2.2945 }, now = Date.now()): DeviceBatch {
  const seed = now % 100_000;
  if (what === 'smoke') {
    const a = smokeAlarmSignal({ seed, noise: 0.005 });
    const start = now - Math.round((a.pcm.length / a.rate) * 1000);
    return { audio: { start, rate: a.rate, format: 'pcm_s16le', data: pcm16ToBase64(a.pcm) }, deviceInfo: DEVICE_INFO, battery: 92 };
  }
  const make = what === 'crash' ? crashSignal : fallSignal;
  const probe = make({ seed, ...at, accuracy: what === 'crash' ? 6 : 12 });
  const s = make({ seed, ...at, accuracy: what === 'crash' ? 6 : 12, start: now - Math.round(seconds(probe) * 1000) });
  return { motion: { start: s.start, rate: s.rate, accel: s.accel }, gnss: s.gnss, deviceInfo: DEVICE_INFO, battery: what === 'crash' ? 76 : 41 };
}
