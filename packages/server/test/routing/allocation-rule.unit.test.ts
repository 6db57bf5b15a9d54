import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Allocator, canTake, isMedia, ROUTING_CHANNELS, type RoutingChannel } from '../../src/routing/allocator.js';

/**
 * Every combination of what an agent holds (audio/video or not) × text workload
 * (below, at, above the limit) × request type × volume × limit × the queue's
 * text-during-voice setting, checked against the rule as written in the issue,
 * both through `canTake` and through a full allocator decision.
 */
describe('allocation rule table', () => {
  const limits = [0, 1, 2, 3];
  const mediaCounts = [0, 1];
  const textLoads = [0, 1, 2, 3, 4];
  const volumes = [1, 2];

  function expected(media: number, text: number, limit: number, channel: RoutingChannel, volume: number, textDuringVoice: boolean): boolean {
    if (channel === 'voice' || channel === 'video') return media === 0 && text <= limit;
    if (media > 0 && !textDuringVoice) return false;
    return text + volume <= limit;
  }

  let rows = 0;
  for (const limit of limits)
    for (const mediaCount of mediaCounts)
      for (const textLoad of textLoads)
        for (const channel of ROUTING_CHANNELS)
          for (const volume of volumes)
            for (const textDuringVoice of [false, true]) {
              const want = expected(mediaCount, textLoad, limit, channel, volume, textDuringVoice);
              const name = `media=${mediaCount} text=${textLoad} limit=${limit} ${channel}(v${volume}) textDuringVoice=${textDuringVoice} → ${want}`;
              rows++;
              test(name, () => {
                assert.equal(canTake({ mediaCount, textLoad, limit }, { channel, volume }, textDuringVoice), want);
                // The same through the allocator: build the load with held items, then ask.
                const a = new Allocator();
                a.setQueue({ id: 'q', priority: 0, skills: [], textDuringVoice });
                a.setAgent({ id: 'ag', available: true, skills: {}, limit, idleSince: 0 });
                for (let i = 0; i < mediaCount; i++)
                  a.setItem({ id: `m${i}`, queueId: 'q', channel: 'voice', priority: 0, volume: 1, skills: [], enqueuedAt: 0, phase: 'assigned', agentId: 'ag', declinedBy: [] });
                for (let i = 0; i < textLoad; i++)
                  a.setItem({ id: `t${i}`, queueId: 'q', channel: 'chat', priority: 0, volume: 1, skills: [], enqueuedAt: 0, phase: 'assigned', agentId: 'ag', declinedBy: [] });
                assert.deepEqual(a.agentLoad('ag'), { mediaCount, textLoad, limit });
                a.setItem({ id: 'req', queueId: 'q', channel, priority: 0, volume, skills: [], enqueuedAt: 1, phase: 'queued', agentId: null, declinedBy: [] });
                assert.equal(a.bestAgentFor('req'), want ? 'ag' : undefined);
                assert.equal(a.nextItemFor('ag'), want ? 'req' : undefined);
              });
            }
  test('the table covers every combination', () => assert.equal(rows, limits.length * 2 * textLoads.length * 5 * 2 * 2));

  test('media channels are exactly voice and video', () => {
    assert.deepEqual(ROUTING_CHANNELS.filter(isMedia), ['voice', 'video']);
  });
});

describe('allocator ordering', () => {
  const base = { volume: 1, skills: [], phase: 'queued' as const, agentId: null, declinedBy: [] };

  test('highest priority first, then longest waiting; overflowed items keep their wait', () => {
    const a = new Allocator();
    a.setQueue({ id: 'q', priority: 0, skills: [], textDuringVoice: false });
    a.setAgent({ id: 'ag', available: true, skills: {}, limit: 1, idleSince: 0 });
    a.setItem({ ...base, id: 'late-high', queueId: 'q', channel: 'chat', priority: 5, enqueuedAt: 300 });
    a.setItem({ ...base, id: 'early-low', queueId: 'q', channel: 'chat', priority: 1, enqueuedAt: 100 });
    a.setItem({ ...base, id: 'mid-high', queueId: 'q', channel: 'chat', priority: 5, enqueuedAt: 200 });
    assert.equal(a.nextItemFor('ag'), 'mid-high');
    a.setItem({ ...base, id: 'old-overflowed', queueId: 'q', channel: 'chat', priority: 5, enqueuedAt: 50 });
    assert.equal(a.nextItemFor('ag'), 'old-overflowed');
  });

  test('best agent: skill level, then least text workload, then longest idle; unavailable and declined never', () => {
    const a = new Allocator();
    a.setQueue({ id: 'q', priority: 0, skills: [{ skill: 'loans', minLevel: 3 }], textDuringVoice: false });
    a.setAgent({ id: 'novice', available: true, skills: { loans: 2 }, limit: 5, idleSince: 0 });
    a.setAgent({ id: 'good-busy', available: true, skills: { loans: 8 }, limit: 5, idleSince: 10 });
    a.setAgent({ id: 'good-idle', available: true, skills: { loans: 8 }, limit: 5, idleSince: 20 });
    a.setAgent({ id: 'good-idler', available: true, skills: { loans: 8 }, limit: 5, idleSince: 5 });
    a.setAgent({ id: 'expert-away', available: false, skills: { loans: 10 }, limit: 5, idleSince: 0 });
    a.setItem({ ...base, id: 'held', queueId: 'q', channel: 'chat', priority: 0, enqueuedAt: 0, phase: 'assigned', agentId: 'good-busy' });
    a.setItem({ ...base, id: 'x', queueId: 'q', channel: 'chat', priority: 0, enqueuedAt: 1 });
    assert.equal(a.bestAgentFor('x'), 'good-idler');
    a.setItem({ ...base, id: 'x', queueId: 'q', channel: 'chat', priority: 0, enqueuedAt: 1, declinedBy: ['good-idler'] });
    assert.equal(a.bestAgentFor('x'), 'good-idle');
    a.setAgent({ id: 'expert-away', available: true, skills: { loans: 10 }, limit: 5, idleSince: 0 });
    assert.equal(a.bestAgentFor('x'), 'expert-away');
  });

  test('an item asking for a skill nobody has waits; a queue edit re-buckets its items', () => {
    const a = new Allocator();
    a.setQueue({ id: 'q', priority: 0, skills: [{ skill: 'fr', minLevel: 1 }], textDuringVoice: false });
    a.setAgent({ id: 'ag', available: true, skills: { en: 5 }, limit: 2, idleSince: 0 });
    a.setItem({ ...base, id: 'x', queueId: 'q', channel: 'sms', priority: 0, enqueuedAt: 1 });
    assert.equal(a.bestAgentFor('x'), undefined);
    assert.equal(a.nextItemFor('ag'), undefined);
    a.setQueue({ id: 'q', priority: 0, skills: [{ skill: 'en', minLevel: 1 }], textDuringVoice: false });
    assert.equal(a.bestAgentFor('x'), 'ag');
    assert.equal(a.nextItemFor('ag'), 'x');
  });
});
