/**
 * Records a leg to a 16-bit 8 kHz mono WAV file (G.711 calls) or an Ogg/Opus file (Opus
 * calls), either what the remote party said ('received') or both directions mixed ('mixed'). One frame is written per clock tick,
 * concealed and silent frames included, so the file's timeline matches the call's.
 */
import type { AudioEndpoint } from './audio-endpoint.js';
import { FRAME_SAMPLES } from './rtp-session.js';
import { OggOpusFileWriter } from './ogg-opus-file.js';
import { WavFileWriter } from './wav.js';

export type RecordingMode = 'received' | 'mixed';
export type RecordingFormat = 'wav' | 'ogg';

export interface Recording {
  /**
   * While masked, every frame written is comfort noise (both directions), so the file
   * keeps its true length but holds nothing said. Returns the file's position in ms.
   */
  mask(on: boolean): number;
  /** Stops recording and finalises the file. Idempotent. */
  stop(): Promise<{ path: string; durationSeconds: number }>;
}

export async function startRecording(session: AudioEndpoint, path: string, mode: RecordingMode = 'received', format: RecordingFormat = 'wav'): Promise<Recording> {
  const writer = format === 'ogg' ? await OggOpusFileWriter.create(path) : await WavFileWriter.create(path);
  // In 'mixed' mode the frame the leg sent during the previous tick is added to the frame
  // received in this tick: the session emits received audio first in each tick, so the
  // two directions are offset by at most one frame (20 ms), inaudible in a recording.
  const outgoing = new Int16Array(FRAME_SAMPLES);
  const mixed = new Int16Array(FRAME_SAMPLES);
  const noise = new Int16Array(FRAME_SAMPLES);
  let masked = false;
  const onSent = (frame: Int16Array) => outgoing.set(frame.subarray(0, FRAME_SAMPLES));
  const onAudio = (frame: Int16Array) => {
    if (masked) {
      comfortNoise(noise);
      writer.write(noise);
      return;
    }
    if (mode === 'received') {
      writer.write(frame);
      return;
    }
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const v = frame[i] + outgoing[i];
      mixed[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    outgoing.fill(0);
    writer.write(mixed);
  };
  session.on('audio', onAudio);
  if (mode === 'mixed') session.on('sent', onSent);
  let stopped: Promise<{ path: string; durationSeconds: number }> | null = null;
  return {
    mask: (on) => {
      masked = on;
      // The frame sent just before the switch belongs to the other side of it.
      outgoing.fill(0);
      return Math.round(writer.durationSeconds * 1000);
    },
    stop: () => {
      stopped ??= (async () => {
        session.off('audio', onAudio);
        session.off('sent', onSent);
        await writer.close();
        return { path, durationSeconds: writer.durationSeconds };
      })();
      return stopped;
    },
  };
}

/** Low-level white noise (about -60 dBFS RMS): a recording's masked stretch sounds like a line, not a dropout. */
export function comfortNoise(into: Int16Array, amplitude = 32): Int16Array {
  for (let i = 0; i < into.length; i++) into[i] = Math.round((Math.random() * 2 - 1) * amplitude);
  return into;
}
