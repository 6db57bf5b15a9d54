/**
 * Text-to-speech behind a small interface, with an espeak-ng implementation.
 *
 * espeak-ng is GPL-3.0 licensed; callsight (Apache-2.0) only runs it as a separate
 * program and reads its output, it never links it. It is spawned without a shell, the
 * text goes through stdin (no argv length limit, and text starting with "-" cannot be
 * taken for an option), and voice/rate are validated before they reach argv.
 */
import { spawn } from 'node:child_process';
import { CallsightError } from '../core/errors.js';
import { toTelephonyPcm } from './resample.js';
import { decodeWav } from './wav.js';

export interface TtsOptions {
  /** Voice name, e.g. "en", "en-us", "de", "fr+f3". */
  voice?: string;
  /** Speaking rate in words per minute. */
  rate?: number;
}

export interface Tts {
  /** Speech for `text` as 8 kHz mono 16-bit PCM. */
  synthesize(text: string, opts?: TtsOptions): Promise<Int16Array>;
}

export interface EspeakTtsOptions {
  /** Executable to run. Default "espeak-ng" (looked up on PATH). */
  command?: string;
  defaultVoice?: string;
  defaultRate?: number;
  /** Synthesised prompts kept in memory (least recently used evicted). Default 200. */
  cacheEntries?: number;
  maxTextLength?: number;
  timeoutMs?: number;
}

const VOICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$/;
/** espeak-ng accepts 80..450 words per minute (-s). */
const MIN_RATE = 80;
const MAX_RATE = 450;

export class EspeakTts implements Tts {
  private readonly command: string;
  private readonly defaultVoice: string;
  private readonly defaultRate: number;
  private readonly cacheEntries: number;
  private readonly maxTextLength: number;
  private readonly timeoutMs: number;
  /** Map iteration order is insertion order, so re-inserting on hit makes it an LRU. */
  private readonly cache = new Map<string, Promise<Int16Array>>();

  constructor(opts: EspeakTtsOptions = {}) {
    this.command = opts.command ?? 'espeak-ng';
    this.defaultVoice = opts.defaultVoice ?? 'en';
    this.defaultRate = opts.defaultRate ?? 160;
    this.cacheEntries = opts.cacheEntries ?? 200;
    this.maxTextLength = opts.maxTextLength ?? 5000;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  async synthesize(text: string, opts: TtsOptions = {}): Promise<Int16Array> {
    const voice = opts.voice ?? this.defaultVoice;
    const rate = opts.rate ?? this.defaultRate;
    if (text.trim().length === 0) throw new CallsightError('tts_empty_text', 'nothing to say', { status: 400 });
    if (text.length > this.maxTextLength) {
      throw new CallsightError('tts_text_too_long', `text exceeds ${this.maxTextLength} characters`, { status: 400 });
    }
    if (!VOICE_PATTERN.test(voice)) throw new CallsightError('tts_invalid_voice', `invalid voice name ${JSON.stringify(voice)}`, { status: 400 });
    if (!(Number.isInteger(rate) && rate >= MIN_RATE && rate <= MAX_RATE)) {
      throw new CallsightError('tts_invalid_rate', `rate must be an integer ${MIN_RATE}..${MAX_RATE} words per minute`, { status: 400 });
    }
    const key = `${voice}\u0000${rate}\u0000${text}`;
    let pending = this.cache.get(key);
    if (pending) {
      this.cache.delete(key);
    } else {
      pending = this.run(text, voice, rate);
      // A failure must not stay cached: the next call retries.
      pending.catch(() => this.cache.delete(key));
    }
    this.cache.set(key, pending);
    if (this.cache.size > this.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
    return (await pending).slice(); // callers may modify their copy; the cached one stays intact
  }

  private run(text: string, voice: string, rate: number): Promise<Int16Array> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, ['--stdout', '-v', voice, '-s', String(rate)], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: this.timeoutMs,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => {}); // EPIPE if it exits early; reported via 'close'
      child.on('error', (e: NodeJS.ErrnoException) => {
        reject(
          e.code === 'ENOENT'
            ? new CallsightError('tts_unavailable', `${this.command} is not installed (Debian: apt-get install espeak-ng)`, {
                status: 503,
                cause: e,
              })
            : new CallsightError('tts_failed', `could not start ${this.command}: ${e.message}`, { status: 500, cause: e }),
        );
      });
      child.on('close', (code, signal) => {
        if (code !== 0) {
          const detail = signal ? `killed by ${signal}` : `exit code ${code}`;
          reject(new CallsightError('tts_failed', `${this.command} failed (${detail}): ${Buffer.concat(err).toString().trim()}`));
          return;
        }
        try {
          const audio = decodeWav(Buffer.concat(out));
          resolve(toTelephonyPcm(audio.samples, audio.sampleRate, audio.channels));
        } catch (e) {
          reject(new CallsightError('tts_failed', `${this.command} produced unreadable audio`, { cause: e }));
        }
      });
      child.stdin.end(text);
    });
  }
}
