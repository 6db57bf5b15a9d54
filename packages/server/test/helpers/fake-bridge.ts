import { EventEmitter } from 'node:events';
import type { AudioEndpoint } from '../../src/media/audio-endpoint.js';
import type { MediaClock } from '../../src/media/clock.js';
import { generateTone } from '../../src/media/tone.js';

/** A clock ticked by the test, and two legs (500 Hz, 1 kHz) that say their own tone and keep what they are sent. */
export function fakeBridge() {
  const ticks = new Set<() => void>();
  const clock = { subscribe: (fn: () => void) => (ticks.add(fn), () => ticks.delete(fn)) } as unknown as MediaClock;
  const leg = (hz: number) => {
    const e = new EventEmitter() as EventEmitter & AudioEndpoint & { got: Int16Array[]; tone: Int16Array };
    Object.assign(e, { clock, got: [], tone: generateTone([hz], 20) });
    e.sendFrame = (f: Int16Array) => (e.got.push(f.slice()), true);
    return e;
  };
  const a = leg(500);
  const b = leg(1000);
  const tick = () => {
    a.emit('audio', a.tone, 'audio');
    b.emit('audio', b.tone, 'audio');
    for (const fn of [...ticks]) fn();
  };
  return { a, b, tick, ticks };
}
