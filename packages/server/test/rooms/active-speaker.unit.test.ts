import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ActiveSpeakerDetector } from '../../src/rooms/active-speaker.js';

const feed = (d: ActiveSpeakerDetector, levels: Record<string, number>, packets = 15) => {
  for (let i = 0; i < packets; i++) for (const [id, dbov] of Object.entries(levels)) d.addLevel(id, dbov);
  return d.tick();
};

describe('active speaker from RFC 6464 levels', () => {
  test('the first voice becomes active at once; silence is not speech', () => {
    const d = new ActiveSpeakerDetector();
    const quiet = feed(d, { a: 127, b: 90 });
    assert.deepEqual(quiet, { speaking: [], activeSpeaker: null, activeChanged: false, speakingChanged: false });
    const u = feed(d, { a: 30, b: 90 });
    assert.deepEqual(u, { speaking: ['a'], activeSpeaker: 'a', activeChanged: true, speakingChanged: true });
  });

  test('a louder voice takes over only after holding for two ticks (no flapping on a cough)', () => {
    const d = new ActiveSpeakerDetector({ holdTicks: 2 });
    feed(d, { a: 30 });
    assert.equal(feed(d, { a: 35, b: 20 }).activeSpeaker, 'a', 'one louder tick is not enough');
    assert.equal(feed(d, { a: 35 }).activeSpeaker, 'a', 'b fell silent: streak broken');
    assert.equal(feed(d, { a: 35, b: 20 }).activeSpeaker, 'a');
    const u = feed(d, { a: 35, b: 20 });
    assert.equal(u.activeSpeaker, 'b');
    assert.equal(u.activeChanged, true);
  });

  test('long silence clears the active speaker; removed participants are forgotten', () => {
    const d = new ActiveSpeakerDetector({ clearAfterTicks: 3 });
    feed(d, { a: 20 });
    feed(d, {});
    feed(d, {});
    const cleared = feed(d, {});
    assert.equal(cleared.activeSpeaker, null);
    assert.equal(cleared.activeChanged, true);
    d.addLevel('b', 10);
    d.remove('b');
    assert.deepEqual(d.tick().speaking, []);
  });
});
