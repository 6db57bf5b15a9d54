import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateTone } from '../../src/media/tone.js';
import { goertzelPower } from '../../src/media/goertzel.js';
import { decodeWav, encodeWav } from '../../src/media/wav.js';
import { phonePortBlock } from './ports.js';
import { requireBinary, run, type ProcResult } from './processes.js';

export interface Baresip {
  /** The UDP port baresip takes SIP on (to call it directly, as a trunk's far end). */
  sipPort: number;
  /** Where baresip's sndfile module writes each call's audio: *-dec.wav (heard) and *-enc.wav (sent). */
  recordings: string;
  done: Promise<ProcResult>;
  kill(): void;
  /** baresip's ctrl_tcp interface (with `control: true`): commands in, UA events out. */
  control?: BaresipControl;
}

/** A UA event baresip reported over ctrl_tcp, e.g. `{ type: 'CALL_DTMF_START', param: '5' }`. */
export interface BaresipEvent {
  type: string;
  param?: string;
}

export interface BaresipControl {
  /** Runs a menu command (e.g. `sndcode`, `3`) and resolves with baresip's answer. */
  command(command: string, params?: string): Promise<{ ok: boolean; data?: string }>;
  /** Every event seen so far, oldest first. */
  events: BaresipEvent[];
  close(): void;
}

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
  /** Load ctrl_tcp so the test can send DTMF (`sndcode`) and see received digits. */
  control?: boolean;
  /** Print every SIP message sent and received to stdout (baresip -s), e.g. to check an INVITE's headers. */
  sipTrace?: boolean;
  /** Media encryption modules to load, e.g. `srtp` (SDES; the account line picks `;mediaenc=srtp-mand`). */
  menc?: string[];
}): Baresip {
  requireBinary('/usr/bin/baresip');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-baresip-'));
  const recordings = path.join(dir, 'rec');
  mkdirSync(recordings);
  const tone = path.join(dir, 'tone.wav');
  writeFileSync(tone, encodeWav(generateTone([opts.toneHz ?? 1000], (opts.seconds + 2) * 1000, { levelDbfs: -10 }), 8000, 1));
  const block = phonePortBlock();
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
      `rtp_ports ${block + 2}-${block + 22}`,
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module sndfile.so',
      ...(opts.menc ?? []).map((m) => `module ${m}.so`),
      'module_app account.so',
      'module_app menu.so',
      `snd_path ${recordings}`,
      ...(opts.control ? ['module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${block + 23}`] : []),
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'accounts'), opts.account + '\n');
  const args = ['-f', dir, '-t', String(opts.seconds), ...(opts.sipTrace ? ['-s'] : []), ...(opts.commands ?? []).flatMap((c) => ['-e', c])];
  const proc = run('/usr/bin/baresip', args, (opts.seconds + 10) * 1000);
  const control = opts.control ? controlClient(block + 23) : undefined;
  void proc.done.then(() => control?.close());
  return { sipPort: block, recordings, done: proc.done, kill: proc.kill, control };
}

/**
 * A ctrl_tcp client: netstring-framed JSON both ways. Connects lazily with retries,
 * since baresip opens the port only once its modules are loaded.
 */
function controlClient(port: number): BaresipControl {
  const events: BaresipEvent[] = [];
  const pending = new Map<string, (r: { ok: boolean; data?: string }) => void>();
  let socket: Socket | undefined;
  let closed = false;
  let nextToken = 0;
  let buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + len + 1) return;
      const msg = JSON.parse(buffer.subarray(colon + 1, colon + 1 + len).toString()) as Record<string, unknown>;
      buffer = buffer.subarray(colon + 1 + len + 1);
      if (msg.event) events.push({ type: String(msg.type), param: msg.param === undefined ? undefined : String(msg.param) });
      else if (msg.response && typeof msg.token === 'string') pending.get(msg.token)?.({ ok: Boolean(msg.ok), data: msg.data as string | undefined });
    }
  };
  const connected = (async () => {
    for (let attempt = 0; attempt < 100 && !closed; attempt++) {
      const s = await new Promise<Socket | null>((resolve) => {
        const c = connect(port, '127.0.0.1');
        c.once('connect', () => resolve(c));
        c.once('error', () => resolve(null));
      });
      if (s) {
        s.on('data', onData);
        s.on('error', () => {});
        socket = s;
        return s;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`baresip ctrl_tcp on port ${port} did not accept a connection`);
  })();
  connected.catch(() => {});
  return {
    events,
    async command(command, params) {
      const s = await connected;
      const token = String(++nextToken);
      const json = Buffer.from(JSON.stringify({ command, params, token }));
      const answer = new Promise<{ ok: boolean; data?: string }>((resolve) => pending.set(token, resolve));
      s.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
      return answer;
    },
    close() {
      closed = true;
      socket?.destroy();
    },
  };
}

/** The recordings baresip made of what it heard, one per call. */
export function heardFiles(recordings: string): string[] {
  return readdirSync(recordings)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => path.join(recordings, f));
}

/**
 * Share of a WAV's energy at `hz` (Goertzel over 20 ms blocks, normalised to energy), 0..1: a pure tone
 * heard clearly is near 1, speech or silence is low. `window` limits it to part of the file.
 */
export async function toneShare(file: string, hz: number, window: { fromSec?: number; toSec?: number } = {}): Promise<{ share: number; rms: number }> {
  const audio = decodeWav(await readFile(file));
  // A negative fromSec counts from the end: the last seconds of a call.
  const at = (sec: number) => Math.max(0, Math.round((sec < 0 ? audio.samples.length / audio.sampleRate + sec : sec) * audio.sampleRate));
  return pcmToneShare(audio.samples.subarray(at(window.fromSec ?? 0), window.toSec === undefined ? undefined : at(window.toSec)), hz, audio.sampleRate);
}

/** The same measure over PCM in memory, e.g. frames a leg sent (its 'sent' event). */
export function pcmToneShare(s: Int16Array, hz: number, sampleRate = 8000): { share: number; rms: number } {
  let tonePower = 0;
  let total = 0;
  const block = Math.round(sampleRate / 50);
  for (let i = 0; i + block <= s.length; i += block) {
    const frame = s.subarray(i, i + block);
    let energy = 0;
    for (const v of frame) energy += v * v;
    total += energy;
    tonePower += goertzelPower(frame, hz, sampleRate);
  }
  const rms = Math.sqrt(total / Math.max(1, s.length)) / 32768;
  return { share: total > 0 ? Math.min(1, tonePower / total) : 0, rms };
}
