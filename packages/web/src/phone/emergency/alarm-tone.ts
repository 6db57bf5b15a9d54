/**
 * A loud two-tone alarm (960 / 770 Hz, like a siren's hi-lo) through WebAudio, so
 * the owner hears the countdown even with the phone in a pocket. Browsers allow
 * it after a tap on the page (the simulator's button is one); otherwise it starts
 * on the first tap.
 */
export function startAlarmTone(): () => void {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return () => {};
  const ctx = new Ctx();
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'square';
  gain.gain.value = 0.35;
  osc.connect(gain).connect(ctx.destination);
  const t0 = ctx.currentTime;
  for (let i = 0; i < 600; i++) osc.frequency.setValueAtTime(i % 2 ? 770 : 960, t0 + i * 0.5);
  osc.start();
  const resume = () => void ctx.resume();
  if (ctx.state === 'suspended') window.addEventListener('pointerdown', resume, { once: true });
  return () => {
    window.removeEventListener('pointerdown', resume);
    try {
      osc.stop();
    } catch {
      // Already stopped.
    }
    void ctx.close();
  };
}
