/** Prometheus view of `transcodeStats`: read at scrape time, nothing counted twice. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { transcodeStats } from './transcode-stats.js';

export function registerTranscodeMetrics(registry: Registry): void {
  new Gauge({
    name: 'callsight_transcoding_legs',
    help: 'Legs whose audio the server decodes or encodes right now (Opus ↔ PCM), rather than relays',
    registers: [registry],
    collect() {
      this.set(transcodeStats.legs);
    },
  });
  // Counters that only ever grow, set from the process-wide totals: rate(seconds) / rate(frames) is the CPU per frame.
  const total = (name: string, help: string, read: () => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        this.inc(now - seen);
        seen = now;
      },
    });
  };
  total('callsight_transcoded_frames_total', '20 ms frames encoded or decoded by the server for transcoding', () => transcodeStats.frames);
  total(
    'callsight_transcode_cpu_seconds_total',
    'CPU time spent encoding and decoding those frames (divide by callsight_transcoded_frames_total for the CPU per frame)',
    () => transcodeStats.seconds,
  );
}
