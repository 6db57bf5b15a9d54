import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { connect as natsConnect } from 'nats';
import { decodeWav } from '../../src/media/wav.js';
import { withDefaultUser } from '../../src/store/store.js';

/** The canary: a Luhn-valid Visa test number that must never show up outside its sealed column. */
export const CANARY = '4000056655665556';

/** The canary as it could leak: plain, grouped as people write it, base64 of its ASCII. */
export const canaryForms = (pan = CANARY) => [pan, pan.replace(/(\d{4})(?=\d)/g, '$1 '), pan.replace(/(\d{4})(?=\d)/g, '$1-'), Buffer.from(pan).toString('base64')];

export const holds = (text: string | Buffer, pan = CANARY) => {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  return canaryForms(pan).filter((f) => s.includes(f));
};

/** Every file under `dir` (the SQLite file and its WAL, recordings, key files), with the canary forms each holds. */
export function scanFiles(dir: string, pan = CANARY): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else for (const form of holds(readFileSync(p), pan)) hits.push(`${p}: ${form}`);
    }
  };
  walk(dir);
  return hits;
}

/** Every row of every table in the Postgres schema, as JSON text. */
export async function scanPostgres(url: string, schema: string, pan = CANARY): Promise<string[]> {
  const client = new pg.Client({ connectionString: withDefaultUser(url) });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
    const hits: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select row_to_json(t)::text as j from "${schema}"."${table_name}" t`);
      for (const r of rows.rows as { j: string }[]) for (const form of holds(r.j, pan)) hits.push(`${table_name}: ${form}`);
    }
    return hits;
  } finally {
    await client.end();
  }
}

/** Every message of the NATS JetStream stream. */
export async function scanNats(url: string, stream: string, pan = CANARY): Promise<{ messages: number; hits: string[] }> {
  const nc = await natsConnect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(stream);
    const hits: string[] = [];
    let messages = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!m) continue;
      messages++;
      for (const form of holds(Buffer.from(m.data), pan)) hits.push(`${stream}#${seq}: ${form}`);
    }
    return { messages, hits };
  } finally {
    await nc.close();
  }
}

export function readWav(file: string): Int16Array {
  const { samples, sampleRate } = decodeWav(readFileSync(file));
  if (sampleRate !== 8000) throw new Error(`expected 8 kHz, got ${sampleRate}`);
  return samples instanceof Int16Array ? samples : Int16Array.from(samples as ArrayLike<number>);
}

/**
 * Where `template` best matches in `signal` and how well (normalized cross-correlation,
 * 0..1): a coarse search on 10 ms energy envelopes, then sample by sample near the best.
 */
export function bestMatch(signal: Int16Array, template: Int16Array): { lag: number; score: number } {
  if (signal.length < template.length) return { lag: 0, score: 0 };
  const env = (x: Int16Array) => {
    const out = new Float64Array(Math.floor(x.length / 80));
    for (let i = 0; i < out.length; i++) {
      let e = 0;
      for (let j = i * 80; j < i * 80 + 80; j++) e += Math.abs(x[j]);
      out[i] = e;
    }
    return out;
  };
  const es = env(signal);
  const et = env(template);
  const ncc = (a: ArrayLike<number>, b: ArrayLike<number>, off: number, n: number) => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      const x = a[off + i];
      const y = b[i];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
  };
  let coarse = 0;
  let coarseScore = -1;
  for (let k = 0; k + et.length <= es.length; k++) {
    const sc = ncc(es, et, k, et.length);
    if (sc > coarseScore) [coarse, coarseScore] = [k, sc];
  }
  let lag = 0;
  let score = 0;
  for (let l = Math.max(0, coarse * 80 - 240); l <= Math.min(signal.length - template.length, coarse * 80 + 240); l++) {
    const sc = Math.abs(ncc(signal, template, l, template.length));
    if (sc > score) [lag, score] = [l, sc];
  }
  return { lag, score };
}

/** RMS of a stretch of samples. */
export function rms(x: Int16Array, from = 0, to = x.length): number {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return Math.sqrt(e / Math.max(1, to - from));
}
