import type { Page } from 'playwright-core';

export interface Heard {
  /** Dominant frequency (FFT peak), Hz. */
  hz: number;
  /** RMS level, 0–1. */
  rms: number;
}

/**
 * What a page plays through an <audio> element, measured inside the page over `ms`
 * with an AnalyserNode: the dominant frequency and the level. The element is the
 * first one matching `selector` (and, with `data`, whose `data-*` attribute has that value).
 */
export function pageAudio(page: Page, selector: string, opts: { data?: [key: string, value: string]; ms?: number } = {}): Promise<Heard> {
  return page.evaluate(
    async ({ selector, data, ms }) => {
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
      await ctx.close();
      return { hz: (peak * ctx.sampleRate) / analyser.fftSize, rms };
    },
    { selector, data: opts.data ?? null, ms: opts.ms ?? 700 },
  );
}

/** What the page's softphone plays: the far end of its call. */
export const softphoneAudio = (page: Page) => pageAudio(page, '[data-testid="softphone-audio"]');
