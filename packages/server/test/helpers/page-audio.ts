import type { Page } from 'playwright-core';

export interface Heard {
  /** Dominant frequency (FFT peak), Hz. */
  hz: number;
  /** RMS level, 0–1. */
  rms: number;
  /** With `besideHz`: the share of the spectrum's power more than `bandHz` (default 60) away from that frequency. */
  beside?: number;
}

/**
 * What a page plays through an <audio> element, measured inside the page over `ms`
 * with an AnalyserNode: the dominant frequency and the level. The element is the
 * first one matching `selector` (and, with `data`, whose `data-*` attribute has that value).
 */
export function pageAudio(page: Page, selector: string, opts: { data?: [key: string, value: string]; ms?: number; besideHz?: number; bandHz?: number } = {}): Promise<Heard> {
  return page.evaluate(
    async ({ selector, data, ms, besideHz, bandHz }) => {
      const audio = [...document.querySelectorAll<HTMLAudioElement>(selector)].find((a) => !data || a.dataset[data[0]] === data[1]);
      if (!audio?.srcObject) throw new Error(`no audio playing at ${selector}${data ? ` (${data[0]}=${data[1]})` : ''}`);
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      ctx.createMediaStreamSource(audio.srcObject as MediaStream).connect(analyser);
      await new Promise((r) => setTimeout(r, ms));
      const freq = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(freq);
      let peak = 0;
      for (let i = 1; i < freq.length; i++) if (freq[i] > freq[peak]) peak = i;
      const time = new Float32Array(analyser.fftSize);
      analyser.getFloatTimeDomainData(time);
      const rms = Math.sqrt(time.reduce((a, v) => a + v * v, 0) / time.length);
      let beside: number | undefined;
      if (besideHz !== null) {
        const binHz = ctx.sampleRate / analyser.fftSize;
        let near = 0;
        let total = 0;
        for (let i = 1; i < freq.length; i++) {
          const p = 10 ** (freq[i] / 10);
          total += p;
          if (Math.abs(i * binHz - besideHz) <= bandHz) near += p;
        }
        beside = total > 0 ? 1 - near / total : 0;
      }
      await ctx.close();
      return { hz: (peak * ctx.sampleRate) / analyser.fftSize, rms, beside };
    },
    { selector, data: opts.data ?? null, ms: opts.ms ?? 700, besideHz: opts.besideHz ?? null, bandHz: opts.bandHz ?? 60 },
  );
}

/** What the page's softphone plays: the far end of its call. */
export const softphoneAudio = (page: Page) => pageAudio(page, '[data-testid="softphone-audio"]');

/** Loads `url` (same origin as the page) in an <audio> element: 'canplay' or why not, and the duration it found. */
export function playsInPage(page: Page, url: string): Promise<{ how: string; duration: number }> {
  return page.evaluate(async (url) => {
    const audio = new Audio();
    const ready = new Promise<string>((resolve) => {
      audio.oncanplay = () => resolve('canplay');
      audio.onerror = () => resolve(`error ${audio.error?.code}`);
    });
    audio.src = url;
    const how = await Promise.race([ready, new Promise<string>((r) => setTimeout(() => r('timeout'), 8000))]);
    return { how, duration: audio.duration };
  }, url);
}

/**
 * Taps what the page renders: every node connected to an AudioContext's destination also
 * feeds a channel splitter and one analyser per ear, so the test hears the listener's output.
 * (A string: the test's TypeScript transform would add helpers the page does not have.)
 */
export const TAP_OUTPUT = `
  window.__taps = [];
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (...args) {
    if (args[0] instanceof AudioDestinationNode) {
      const split = this.context.createChannelSplitter(2);
      const ears = [0, 1].map((i) => {
        const a = this.context.createAnalyser();
        a.fftSize = 8192;
        split.connect(a, i);
        return a;
      });
      connect.call(this, split);
      window.__taps.push({ ctx: this.context, ears });
    }
    return connect.apply(this, args);
  };
`;

/** Level (dB) of a tone in the left and right output of the page's running audio context. */
export function earLevels(page: Page, hz: number): Promise<{ left: number; right: number }> {
  return page.evaluate(async (hz) => {
    const taps = (window as unknown as { __taps: { ctx: BaseAudioContext; ears: AnalyserNode[] }[] }).__taps.filter((t) => t.ctx.state === 'running');
    const tap = taps[taps.length - 1];
    if (!tap) throw new Error('the page renders no audio');
    const bin = Math.round((hz * tap.ears[0].fftSize) / tap.ctx.sampleRate);
    const power = [0, 0];
    for (let k = 0; k < 4; k++) {
      await new Promise((r) => setTimeout(r, 120));
      tap.ears.forEach((ear, i) => {
        const f = new Float32Array(ear.frequencyBinCount);
        ear.getFloatFrequencyData(f);
        for (let b = bin - 2; b <= bin + 2; b++) power[i] += 10 ** (f[b] / 10);
      });
    }
    const [left, right] = power.map((p) => 10 * Math.log10(p / 4 + 1e-20));
    return { left, right };
  }, hz);
}
