import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typeMatches } from '../../src/bus/event-map.js';
import { Fanout } from '../../src/bus/fanout.js';
import { consumerFilter, sameFilter, typeSubjects } from '../../src/bus/subject-filter.js';

const R = 'cs.ev.S';

/** NATS subject matching: `*` one token, `>` one or more at the end. */
function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

const TYPES = ['call.ended', 'call.answered', 'call', 'routing.offered', 'routing.offered.late', 'routing.offer', 'rules.fired', 'rewards.redemption.confirmed', 'user.created'];
const PREFIX_SETS = [['call.'], ['call.ended'], ['call', 'call.'], ['call.', 'call.ended', 'routing.offered'], ['routing.offered'], ['rewards.redemption.'], ['rules.fired', 'user.']];

test('the subjects of a set of type prefixes carry exactly the types typeMatches accepts', () => {
  for (const prefixes of PREFIX_SETS) {
    const subjects = typeSubjects(R, prefixes);
    for (const type of TYPES) {
      const bySubject = subjects.some((f) => subjectMatches(f, `${R}.ten_a.${type}`));
      assert.equal(bySubject, typeMatches(type, prefixes), `${type} for ${prefixes.join(',')} via ${subjects.join(' ')}`);
    }
  }
});

test('covered prefixes are dropped, so the filters never overlap', () => {
  assert.deepEqual(typeSubjects(R, ['call.', 'call.ended', 'call.']), [`${R}.*.call.>`]);
  assert.deepEqual(typeSubjects(R, ['call', 'call.']), [`${R}.*.call`, `${R}.*.call.>`]);
});

test('no types, a wildcard or a prefix that is not a subject means every event', () => {
  for (const t of [undefined, [], ['*'], ['call.', ''], ['ca*ll'], ['a..b']]) assert.deepEqual(typeSubjects(R, t), [`${R}.>`]);
});

test('a server without multi-subject filters gets one subject, the narrowest one covering them all, and the consumer drops the rest', () => {
  for (const prefixes of PREFIX_SETS) {
    const { filter_subject } = consumerFilter(R, prefixes, false);
    for (const type of TYPES) if (typeMatches(type, prefixes)) assert.ok(subjectMatches(filter_subject!, `${R}.ten_a.${type}`), `${type} under ${filter_subject}`);
  }
  assert.deepEqual(consumerFilter(R, ['call.'], false), { filter_subject: `${R}.*.call.>` });
  assert.deepEqual(consumerFilter(R, ['call.ended'], false), { filter_subject: `${R}.*.call.>` });
  assert.deepEqual(consumerFilter(R, ['routing.queued', 'routing.completed', 'routing.'], false), { filter_subject: `${R}.*.routing.>` });
  assert.deepEqual(consumerFilter(R, ['call', 'call.'], false), { filter_subject: `${R}.*.>` });
  assert.deepEqual(consumerFilter(R, ['call.ended', 'interaction.closed'], false), { filter_subject: `${R}.*.>` });
  assert.deepEqual(consumerFilter(R, ['call.ended'], true), { filter_subjects: [`${R}.*.call.ended`, `${R}.*.call.ended.>`] });
  assert.ok(sameFilter({ filter_subjects: ['b', 'a'] }, { filter_subjects: ['a', 'b'] }));
  assert.ok(sameFilter({ filter_subject: 'a', filter_subjects: [] }, { filter_subject: 'a' }));
  assert.ok(!sameFilter({ filter_subject: 'a' }, { filter_subject: 'b' }));
});

test('the fanout finds the routes for a type again after one subscribes or leaves', () => {
  const f = new Fanout<{ types?: string[]; handler: () => void; name: string }>();
  const calls = { types: ['call.'], handler: () => {}, name: 'calls' };
  const all = { handler: () => {}, name: 'all' };
  f.add(calls);
  assert.deepEqual(f.matching('call.ended').map((r) => r.name), ['calls']);
  f.add(all);
  assert.deepEqual(f.matching('call.ended').map((r) => r.name), ['calls', 'all']);
  assert.deepEqual(f.matching('user.created').map((r) => r.name), ['all']);
  f.delete(calls);
  assert.deepEqual(f.matching('call.ended').map((r) => r.name), ['all']);
});
