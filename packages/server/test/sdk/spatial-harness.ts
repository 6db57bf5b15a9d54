/**
 * In-page measurements for the spatial audio tests and bench (plain browser JavaScript, run
 * next to the SDK bundle): offline renders of voices placed by the Spatializer, and the
 * binaural cues in them — interaural time difference from the cross-correlation peak,
 * level difference overall and in the 2–8 kHz band where the head shadows most.
 */
export const SPATIAL_HARNESS = String.raw`
(() => {
  const RATE = 48000;
  const { Spatializer } = window.Callsight;

  function noiseBuffer(ctx, seconds, seed) {
    const b = ctx.createBuffer(1, Math.round(seconds * ctx.sampleRate), ctx.sampleRate);
    const d = b.getChannelData(0);
    let s = seed || 1;
    for (let i = 0; i < d.length; i++) { s = (s * 1103515245 + 12345) % 2147483648; d[i] = (s / 1073741824 - 1) * 0.3; }
    return b;
  }

  function sourceNode(ctx, signal, seconds, seed) {
    if (signal.hz) {
      const o = new OscillatorNode(ctx, { frequency: signal.hz });
      const g = new GainNode(ctx, { gain: signal.gain ?? 0.3 });
      o.connect(g); o.start(0); o.stop(seconds);
      return g;
    }
    const src = new AudioBufferSourceNode(ctx, { buffer: noiseBuffer(ctx, seconds, seed) });
    src.start(0);
    return src;
  }

  /**
   * Renders voices: sources [{ id, position, signal }], an optional listener pose, and
   * scheduled moves [{ id, at, position, transitionMs }] / poses [{ at, pose }].
   */
  async function render(o) {
    const seconds = o.seconds ?? 0.5;
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: Math.round(seconds * RATE), sampleRate: RATE });
    const spatial = new Spatializer({ context: ctx, mode: o.mode ?? 'binaural', forceEqualPower: o.forceEqualPower, transitionMs: o.transitionMs });
    (o.sources || []).forEach((s, i) => spatial.addSource(s.id ?? 's' + i, sourceNode(ctx, s.signal ?? {}, seconds, i + 1), s.position));
    if (o.pose) spatial.setListenerPose(o.pose, { immediate: true, at: 0 });
    for (const m of o.moves || []) spatial.setPosition(m.id, m.position, { at: m.at, transitionMs: m.transitionMs });
    for (const p of o.poses || []) spatial.setListenerPose(p.pose, { at: p.at });
    const buffer = await ctx.startRendering();
    const positions = {};
    for (const id of spatial.ids) positions[id] = spatial.positionOf(id, seconds);
    return { buffer, panningModel: spatial.panningModel, hrtfSupported: spatial.hrtfSupported, positions };
  }

  const rms = (d, a = 0, b = d.length) => { let s = 0; for (let i = a; i < b; i++) s += d[i] * d[i]; return Math.sqrt(s / Math.max(1, b - a)); };
  const db = (l, r) => 20 * Math.log10((l + 1e-12) / (r + 1e-12));

  /** Lag (ms) of the right ear behind the left: positive when the left ear hears first. */
  function itdMs(L, R, from, to) {
    const maxLag = Math.round(0.0015 * RATE);
    let best = 0, bestLag = 0;
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      let s = 0;
      for (let i = from + maxLag; i < to - maxLag; i++) s += L[i] * R[i + lag];
      if (s > best) { best = s; bestLag = lag; }
    }
    return (bestLag / RATE) * 1000;
  }

  async function band(buffer, lo, hi) {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: buffer.length, sampleRate: RATE });
    const src = new AudioBufferSourceNode(ctx, { buffer });
    let node = src;
    for (let k = 0; k < 2; k++) {
      const h = new BiquadFilterNode(ctx, { type: 'highpass', frequency: lo, Q: 0.7 });
      const l = new BiquadFilterNode(ctx, { type: 'lowpass', frequency: hi, Q: 0.7 });
      node.connect(h); h.connect(l); node = l;
    }
    node.connect(ctx.destination);
    src.start(0);
    return ctx.startRendering();
  }

  /** Cues of a render: ITD (ms, + = left first), ILD overall and 2–8 kHz (dB, + = left louder), both ears' levels. */
  async function cues(buffer, fromS = 0.05, toS) {
    const L = buffer.getChannelData(0), R = buffer.getChannelData(1);
    const a = Math.round(fromS * RATE), b = Math.round((toS ?? buffer.duration) * RATE);
    const hb = await band(buffer, 2000, 8000);
    const HL = hb.getChannelData(0), HR = hb.getChannelData(1);
    return { itdMs: itdMs(L, R, a, Math.min(b, a + 4800)), ildDb: db(rms(L, a, b), rms(R, a, b)), ildBandDb: db(rms(HL, a, b), rms(HR, a, b)), left: rms(L, a, b), right: rms(R, a, b) };
  }

  /** Largest sample-to-sample step in either channel between two times. */
  function maxStep(buffer, fromS, toS) {
    let m = 0;
    for (let c = 0; c < 2; c++) {
      const d = buffer.getChannelData(c);
      for (let i = Math.max(1, Math.round(fromS * RATE)); i < Math.min(d.length, Math.round(toS * RATE)); i++) m = Math.max(m, Math.abs(d[i] - d[i - 1]));
    }
    return m;
  }

  /** Largest difference between two renders, relative to the first's RMS. */
  function difference(a, b, fromS = 0.05) {
    let diff = 0, energy = 0, n = 0;
    for (let c = 0; c < 2; c++) {
      const x = a.getChannelData(c), y = b.getChannelData(c);
      for (let i = Math.round(fromS * RATE); i < x.length; i++) { diff = Math.max(diff, Math.abs(x[i] - y[i])); energy += x[i] * x[i]; n++; }
    }
    return diff / Math.sqrt(energy / n);
  }

  window.spatialTest = { render, cues, maxStep, difference, rms, db };
})();
`;
