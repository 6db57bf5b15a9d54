/**
 * Codec benchmark: Opus encode and decode speed at 48 kHz mono, 20 ms frames, and the
 * CPU one transcoded Opus ↔ PCMU leg costs, beside Debian's opus-tools (`opusenc`,
 * `opusdec`, native libopus) on the same audio in the same run.
 *
 * The audio is 60 s of a synthetic voice (a glottal-pulse-like harmonic series gliding
 * in pitch, syllable-rate envelope, breath noise) so both encoders see speech-like
 * content rather than a tone. Native figures are the tools' own CPU time (user + sys,
 * read by bash's `time`) for the whole file — WAV/Ogg I/O included, which flatters us
 * slightly; ours is this process's CPU time around the encode/decode loop. Both use
 * the same application (audio: opusenc has no other), bitrate (32 kbit/s, hard CBR),
 * complexity (10, opusenc's default) and frame size; the server's own setting (voip,
 * complexity 5) is reported beside it. opusdec runs without dithering, which is not
 * part of decoding.
 *
 * A transcoded leg, per 20 ms: Opus → PCM → PCMU one way and PCMU → PCM → Opus the other,
 * with the Opus codec run at 8 kHz (libopus resamples internally, as a phone bridge
 * does), complexity 5. Legs per core = 20 ms / CPU per leg-frame.
 *
 * Usage: npm run bench -- codec   (installs opus-tools when missing). One JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { G711Codec } from '../src/media/g711-codec.js';
import { readOggOpus } from '../src/media/ogg-reader.js';
import { OpusCodec } from '../src/media/opus-codec.js';
import { encodeWav } from '../src/media/wav.js';
import { round } from './_stats.js';

const RATE = 48000;
const FRAME = 960;
const SECONDS = 60;
const BITRATE = 32000;
const COMPLEXITY = 10;
const SERVER_COMPLEXITY = 5;

function syntheticVoice(seconds: number): Int16Array {
  const out = new Int16Array(seconds * RATE);
  let phase = 0;
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE;
    const f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t) + 20 * Math.sin(2 * Math.PI * 3.1 * t);
    phase += (2 * Math.PI * f0) / RATE;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h ** 1.2;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 2 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.25 * t));
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const noise = (seed / 0x7fffffff - 0.5) * 0.05;
    out[i] = Math.round(Math.max(-1, Math.min(1, 0.25 * v * syllable + noise)) * 32767);
  }
  return out;
}

/** Runs a native tool under bash's `time`; returns its CPU seconds (user + sys). */
function nativeCpuSeconds(cmd: string[]): number {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time ${cmd.map((a) => `'${a}'`).join(' ')} >/dev/null 2>/dev/null`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return user + sys;
}

function cpuSeconds(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

function best(runs: number, measure: () => number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, measure());
  return min;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'codec-bench-'));
  try {
    const audio = syntheticVoice(SECONDS);
    const frames = audio.length / FRAME;
    const wav = join(dir, 'voice.wav');
    writeFileSync(wav, encodeWav(audio, RATE));
    const native = join(dir, 'native.opus');
    const nativeArgs = ['--quiet', '--bitrate', String(BITRATE / 1000), '--comp', String(COMPLEXITY), '--framesize', '20', '--hard-cbr'];
    const nativeEncodeS = best(3, () => nativeCpuSeconds(['/usr/bin/opusenc', ...nativeArgs, wav, native]));
    const nativeDecodeS = best(3, () => nativeCpuSeconds(['/usr/bin/opusdec', '--quiet', '--no-dither', '--rate', '48000', native, join(dir, 'native.wav')]));
    const packets = readOggOpus(readFileSync(native)).packets;

    const encodeWith = (complexity: number, application: 'audio' | 'voip') =>
      best(3, () => {
        const codec = new OpusCodec({ sampleRate: RATE, bitrate: BITRATE, cbr: true, complexity, application });
        const s = cpuSeconds(() => {
          for (let i = 0; i < audio.length; i += FRAME) codec.encode(audio.subarray(i, i + FRAME));
        });
        codec.close();
        return s;
      });
    const encodeS = encodeWith(COMPLEXITY, 'audio');
    const encodeServerS = encodeWith(SERVER_COMPLEXITY, 'voip');
    const decodeS = best(3, () => {
      const codec = new OpusCodec({ sampleRate: RATE });
      const s = cpuSeconds(() => {
        for (const p of packets) if (!codec.decode(p)) throw new Error('opusenc packet refused');
      });
      codec.close();
      return s;
    });

    // One transcoded leg: Opus (8 kHz) ↔ PCMU, both directions per 20 ms.
    const narrow = Int16Array.from({ length: audio.length / 6 }, (_, i) => audio[i * 6]);
    const opusSide = new OpusCodec({ sampleRate: 8000, bitrate: BITRATE, complexity: SERVER_COMPLEXITY });
    const pcmuSide = new G711Codec('ulaw');
    const fromBrowser = new OpusCodec({ sampleRate: 8000, bitrate: BITRATE, complexity: SERVER_COMPLEXITY });
    const browserPackets: Uint8Array[] = [];
    const pcmuPackets: Uint8Array[] = [];
    for (let i = 0; i < narrow.length; i += 160) {
      browserPackets.push(fromBrowser.encode(narrow.subarray(i, i + 160))!.slice());
      pcmuPackets.push(pcmuSide.encode(narrow.subarray(i, i + 160)).slice());
    }
    const legS = best(3, () =>
      cpuSeconds(() => {
        for (let f = 0; f < browserPackets.length; f++) {
          pcmuSide.encode(opusSide.decode(browserPackets[f])!); // browser → phone
          opusSide.encode(pcmuSide.decode(pcmuPackets[f])!); // phone → browser
        }
      }),
    );
    const legFrames = browserPackets.length;

    const encodeFps = frames / encodeS;
    const decodeFps = packets.length / decodeS;
    const nativeEncodeFps = frames / nativeEncodeS;
    const nativeDecodeFps = packets.length / nativeDecodeS;
    const legUsPerFrame = (legS / legFrames) * 1e6;
    console.log(
      JSON.stringify({
        bench: 'codec',
        audioSeconds: SECONDS,
        bitrate: BITRATE,
        complexity: COMPLEXITY,
        opusEncodeFramesPerSec: Math.round(encodeFps),
        opusDecodeFramesPerSec: Math.round(decodeFps),
        nativeEncodeFramesPerSec: Math.round(nativeEncodeFps),
        nativeDecodeFramesPerSec: Math.round(nativeDecodeFps),
        encodeRatio: round(encodeFps / nativeEncodeFps),
        decodeRatio: round(decodeFps / nativeDecodeFps),
        opusVoipEncodeFramesPerSecComplexity5: Math.round(frames / encodeServerS),
        transcodedLegUsPer20ms: round(legUsPerFrame, 1),
        transcodedLegCoreShare: round(legUsPerFrame / 20000, 4),
        transcodedLegsPerCore: Math.floor(20000 / legUsPerFrame),
        goals: { ratio: 0.5, legsPerCore: 200 },
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
