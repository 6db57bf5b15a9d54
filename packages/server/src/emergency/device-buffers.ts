import type { GnssFix } from '@callsight/protocol';
import type { AudioSeries, MotionSeries } from './detectors/detection.js';

/** How much of each stream a device's buffer keeps: enough for the longest detector window (a fall's minute of stillness). */
export const BUFFER_SECONDS = { motion: 75, audio: 20, fixes: 300 } as const;

interface DeviceBuffer {
  motion: { start: number; rate: number; accel: [number, number, number][] } | null;
  audio: { start: number; rate: number; pcm: Int16Array } | null;
  fixes: GnssFix[];
  touched: number;
}

/**
 * The recent data of each device, so a detector sees a crash in one batch and the
 * stillness after it in the next. A stream that does not continue where the
 * buffer ends (a gap, another rate) starts the buffer afresh.
 */
export class DeviceBuffers {
  private readonly byDevice = new Map<string, DeviceBuffer>();

  private buffer(id: string): DeviceBuffer {
    let b = this.byDevice.get(id);
    if (!b) {
      b = { motion: null, audio: null, fixes: [], touched: Date.now() };
      this.byDevice.set(id, b);
    }
    b.touched = Date.now();
    return b;
  }

  addMotion(id: string, m: MotionSeries): MotionSeries {
    const b = this.buffer(id);
    const cur = b.motion;
    const end = cur ? cur.start + (cur.accel.length * 1000) / cur.rate : 0;
    if (cur && cur.rate === m.rate && Math.abs(m.start - end) <= 1000 / m.rate + 250) cur.accel.push(...(m.accel as [number, number, number][]));
    else b.motion = { start: m.start, rate: m.rate, accel: [...(m.accel as [number, number, number][])] };
    const keep = Math.round(BUFFER_SECONDS.motion * b.motion!.rate);
    const cut = b.motion!.accel.length - keep;
    if (cut > 0) {
      b.motion!.accel.splice(0, cut);
      b.motion!.start += (cut * 1000) / b.motion!.rate;
    }
    return b.motion!;
  }

  addAudio(id: string, a: AudioSeries): AudioSeries {
    const b = this.buffer(id);
    const cur = b.audio;
    const end = cur ? cur.start + (cur.pcm.length * 1000) / cur.rate : 0;
    let merged: AudioSeries;
    if (cur && cur.rate === a.rate && Math.abs(a.start - end) <= 250) {
      const pcm = new Int16Array(cur.pcm.length + a.pcm.length);
      pcm.set(cur.pcm);
      pcm.set(a.pcm, cur.pcm.length);
      merged = { start: cur.start, rate: a.rate, pcm };
    } else merged = { ...a };
    const keep = BUFFER_SECONDS.audio * merged.rate;
    if (merged.pcm.length > keep) {
      const cut = merged.pcm.length - keep;
      merged = { start: merged.start + (cut * 1000) / merged.rate, rate: merged.rate, pcm: merged.pcm.slice(cut) };
    }
    b.audio = merged;
    return merged;
  }

  addFixes(id: string, fixes: readonly GnssFix[]): GnssFix[] {
    const b = this.buffer(id);
    b.fixes.push(...fixes);
    b.fixes.sort((x, y) => x.t - y.t);
    const newest = b.fixes[b.fixes.length - 1]?.t ?? 0;
    b.fixes = b.fixes.filter((f) => newest - f.t <= BUFFER_SECONDS.fixes * 1000);
    return b.fixes;
  }

  fixes(id: string): GnssFix[] {
    return this.byDevice.get(id)?.fixes ?? [];
  }

  /** Forget a stream once it fired, so the same evidence does not fire again. */
  clear(id: string, stream: 'motion' | 'audio'): void {
    const b = this.byDevice.get(id);
    if (b) b[stream] = null;
  }

  /** Drops devices not heard from for `idleMs`. */
  sweep(idleMs = 10 * 60_000): void {
    const now = Date.now();
    for (const [id, b] of this.byDevice) if (now - b.touched > idleMs) this.byDevice.delete(id);
  }
}
