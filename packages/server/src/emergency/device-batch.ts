import { z } from 'zod';
import type { AudioSeries } from './detectors/detection.js';
import { emergencyErrors } from './emergency-errors.js';

/** Limits of one batch: what a device sends in a few minutes at most. */
export const BATCH_LIMITS = {
  /** Request body, bytes. */
  bodyBytes: 6 * 1024 * 1024,
  motionSamples: 60_000,
  audioSeconds: 60,
  fixes: 600,
} as const;

const MIN_TIME = Date.UTC(2000, 0, 1);
const time = z
  .number()
  .int()
  .min(MIN_TIME, 'must be epoch milliseconds')
  .refine((t) => t <= Date.now() + 86_400_000, 'is more than a day in the future');
const axis = z.number().finite().min(-64).max(64);
const triple = z.tuple([axis, axis, axis]);
const gyroAxis = z.number().finite().min(-5000).max(5000);

export const fixSchema = z
  .object({
    t: time,
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    accuracy: z.number().positive().max(100_000).describe('Horizontal radius, metres'),
    altitude: z.number().min(-500).max(20_000).optional(),
    speed: z.number().min(0).max(150).optional().describe('m/s'),
    heading: z.number().min(0).lt(360).optional().describe('Course over ground, degrees from north'),
  })
  .strict();

export const batchSchema = z
  .object({
    motion: z.object({ start: time, rate: z.number().min(1).max(1000), accel: z.array(triple).min(1).max(BATCH_LIMITS.motionSamples) }).strict().optional(),
    gyro: z.object({ start: time, rate: z.number().min(1).max(1000), samples: z.array(z.tuple([gyroAxis, gyroAxis, gyroAxis])).max(BATCH_LIMITS.motionSamples) }).strict().optional(),
    barometer: z.array(z.object({ t: time, hPa: z.number().min(100).max(1100) }).strict()).max(3600).optional(),
    audio: z
      .object({
        start: time,
        rate: z.union([z.literal(8000), z.literal(16000), z.literal(22050), z.literal(32000), z.literal(44100), z.literal(48000)]),
        format: z.enum(['pcm_s16le', 'wav']),
        data: z.string().min(4).max(BATCH_LIMITS.bodyBytes).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
      })
      .strict()
      .optional(),
    gnss: z.array(fixSchema).max(BATCH_LIMITS.fixes).optional(),
    cells: z.array(z.object({ mcc: z.number().int().min(0).max(999), mnc: z.number().int().min(0).max(999), lac: z.number().int().min(0).optional(), cid: z.number().int().min(0), rssi: z.number().optional() }).strict()).max(32).optional(),
    wifi: z.array(z.object({ bssid: z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/), rssi: z.number().optional() }).strict()).max(64).optional(),
    deviceInfo: z
      .object({ manufacturer: z.string().max(100).optional(), model: z.string().max(100).optional(), os: z.string().max(100).optional(), firmware: z.string().max(100).optional(), imei: z.string().regex(/^[0-9]{14,16}$/).optional() })
      .strict()
      .optional(),
    battery: z.number().min(0).max(100).optional(),
    vehicle: z.object({ passengers: z.number().int().min(0).max(255).optional().describe('Occupants, from seat sensors (eCall MSD)') }).strict().optional(),
  })
  .strict()
  .refine((b) => b.motion || b.audio || b.gnss || b.barometer || b.gyro || b.deviceInfo || b.battery !== undefined || b.cells || b.wifi || b.vehicle, 'an empty batch');

export type ParsedBatch = z.infer<typeof batchSchema>;

/** The batch's audio as PCM (WAV: 16-bit PCM, first channel); 400/413 when it is not what it says. */
export function decodeAudio(a: NonNullable<ParsedBatch['audio']>): AudioSeries {
  const bytes = Buffer.from(a.data, 'base64');
  let pcmBytes: Buffer;
  let rate: number = a.rate;
  let channels = 1;
  if (a.format === 'wav') {
    const wav = parseWav(bytes);
    pcmBytes = wav.data;
    rate = wav.rate;
    channels = wav.channels;
  } else {
    if (bytes.length % 2) throw emergencyErrors.batchInvalid('audio: 16-bit PCM has an even number of bytes', [{ path: 'body.audio.data', message: 'odd length' }]);
    pcmBytes = bytes;
  }
  const frames = Math.floor(pcmBytes.length / (2 * channels));
  if (frames / rate > BATCH_LIMITS.audioSeconds) throw emergencyErrors.batchTooLarge(`audio longer than ${BATCH_LIMITS.audioSeconds} s`);
  const pcm = new Int16Array(frames);
  for (let i = 0; i < frames; i++) pcm[i] = pcmBytes.readInt16LE(i * 2 * channels);
  return { start: a.start, rate, pcm };
}

function parseWav(b: Buffer): { rate: number; channels: number; data: Buffer } {
  const bad = (why: string) => emergencyErrors.batchInvalid(`audio: ${why}`, [{ path: 'body.audio.data', message: why }]);
  if (b.length < 44 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw bad('not a WAV file');
  let off = 12;
  let fmt: { rate: number; channels: number; bits: number; format: number } | undefined;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= b.length) {
      fmt = { format: b.readUInt16LE(body), channels: b.readUInt16LE(body + 2), rate: b.readUInt32LE(body + 4), bits: b.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw bad('data before fmt');
      if (fmt.format !== 1 || fmt.bits !== 16 || fmt.channels < 1 || fmt.channels > 8) throw bad('only 16-bit PCM WAV is accepted');
      if (![8000, 16000, 22050, 32000, 44100, 48000].includes(fmt.rate)) throw bad(`unsupported sample rate ${fmt.rate}`);
      return { rate: fmt.rate, channels: fmt.channels, data: b.subarray(body, Math.min(b.length, body + size)) };
    }
    off = body + size + (size % 2);
  }
  throw bad('no data chunk');
}
