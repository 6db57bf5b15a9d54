import { readFile } from 'node:fs/promises';
import { Egress, EgressError } from '../../core/egress.js';
import { CallsightError } from '../../core/errors.js';
import { toTelephonyPcm } from '../../media/resample.js';
import { generateTone } from '../../media/tone.js';
import { decodeWav } from '../../media/wav.js';
import type { CallRepo } from '../call-repo.js';

const MAX_AUDIO_BYTES = 20 * 1024 * 1024;

/** Built-in prompts that need no file. */
const BUILTIN: Record<string, () => Int16Array> = {
  beep: () => generateTone([1000], 250, { levelDbfs: -8 }),
  ringback: () => generateTone([440, 480], 2000, { levelDbfs: -16 }),
  silence: () => new Int16Array(8000),
};

/** Audio for `play`: builtin:<name>, recording:<rec_id> of the same tenant, or an http(s) WAV. */
export async function loadAudio(url: string, tenantId: string, calls: CallRepo, egress: Egress): Promise<Int16Array> {
  if (url.startsWith('builtin:')) {
    const make = BUILTIN[url.slice('builtin:'.length)];
    if (!make) throw new CallsightError('audio_not_found', `No built-in sound ${url}`, { status: 404 });
    return make();
  }
  let bytes: Uint8Array;
  if (url.startsWith('recording:')) {
    const rec = await calls.recording(tenantId, url.slice('recording:'.length));
    if (!rec) throw new CallsightError('audio_not_found', `No recording ${url}`, { status: 404 });
    bytes = await readFile(rec.path);
  } else {
    let res;
    try {
      res = await egress.fetch(url, { tenantId, timeoutMs: 10_000, maxBytes: MAX_AUDIO_BYTES, maxRedirects: 3 });
    } catch (err) {
      if (err instanceof EgressError && err.reason === 'egress_too_large') throw new CallsightError('audio_too_large', `${url} is larger than 20 MB`, { status: 413 });
      throw err;
    }
    if (res.status !== 200) throw new CallsightError('audio_fetch_failed', `GET ${url} answered ${res.status}`, { status: 502 });
    bytes = new Uint8Array(res.body);
  }
  const audio = decodeWav(bytes);
  return toTelephonyPcm(audio.samples, audio.sampleRate, audio.channels);
}
