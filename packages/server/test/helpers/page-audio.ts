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
