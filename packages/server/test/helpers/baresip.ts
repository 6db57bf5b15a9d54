import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateTone } from '../../src/media/tone.js';
import { goertzelPower } from '../../src/media/goertzel.js';
import { decodeWav, encodeWav } from '../../src/media/wav.js';
import { requireBinary, run, type ProcResult } from './processes.js';

export interface Baresip {
  /** Where baresip's sndfile module writes each call's audio: *-dec.wav (heard) and *-enc.wav (sent). */
  recordings: string;
  done: Promise<ProcResult>;
  kill(): void;
}

let nextPortBlock = 0;

/**
 * A real softphone: baresip with a generated config. It sends a pure tone
 * (aufile source) so the far end can be checked for it, auto-answers incoming
 * calls, and records what it hears.
 */
export function startBaresip(opts: {
  /** The accounts line, e.g. `<sip:agent@127.0.0.1:5060>;auth_pass=demo;answermode=auto`. */
  account: string;
  /** Commands run at start, e.g. `/dial sip:echo@127.0.0.1:5060`. */
  commands?: string[];
  seconds: number;
  toneHz?: number;
  /** Print every SIP message sent and received to stdout (baresip -s), e.g. to check an INVITE's headers. */
  sipTrace?: boolean;
}): Baresip {
  requireBinary('/usr/bin/baresip');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-baresip-'));
  const recordings = path.join(dir, 'rec');
  mkdirSync(recordings);
  const tone = path.join(dir, 'tone.wav');
  writeFileSync(tone, encodeWav(generateTone([opts.toneHz ?? 1000], (opts.seconds + 2) * 1000, { levelDbfs: -10 }), 8000, 1));
  const block = 40000 + ((process.pid * 7 + nextPortBlock++ * 200) % 20000);
  writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method poll',
      `sip_listen 127.0.0.1:${block}`,
      'audio_player aubridge,nil',
      `audio_source aufile,${tone}`,
      'audio_alert aubridge,nil',
      'audio_srate 8000',
      'audio_channels 1',
      `rtp_ports ${block + 2}-${block + 198}`,
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module sndfile.so',
      'module_app account.so',
      'module_app menu.so',
      `snd_path ${recordings}`,
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'accounts'), opts.account + '\n');
  const args = ['-f', dir, '-t', String(opts.seconds), ...(opts.sipTrace ? ['-s'] : []), ...(opts.commands ?? []).flatMap((c) => ['-e', c])];
  const proc = run('/usr/bin/baresip', args, (opts.seconds + 10) * 1000);
  return { recordings, done: proc.done, kill: proc.kill };
}

/** The recordings baresip made of what it heard, one per call. */
export function heardFiles(recordings: string): string[] {
  return readdirSync(recordings)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => path.join(recordings, f));
}

/**
 * Share of a WAV's energy at `hz` (Goertzel over 20 ms blocks, normalised to energy), 0..1: a pure tone
 * heard clearly is near 1, speech or silence is low.
 */
export async function toneShare(file: string, hz: number): Promise<{ share: number; rms: number }> {
  const audio = decodeWav(await readFile(file));
  const s = audio.samples;
  let tonePower = 0;
  let total = 0;
  const block = Math.round(audio.sampleRate / 50);
  for (let i = 0; i + block <= s.length; i += block) {
    const frame = s.subarray(i, i + block);
    let energy = 0;
    for (const v of frame) energy += v * v;
    total += energy;
    tonePower += goertzelPower(frame, hz, audio.sampleRate);
  }
  const rms = Math.sqrt(total / Math.max(1, s.length)) / 32768;
  return { share: total > 0 ? Math.min(1, tonePower / total) : 0, rms };
}
