import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callerTypeOf, phoneOf } from '../../src/deflection/caller-type.js';
import { evaluateRules, needsRoutingFacts, rulesSchema, type CallFacts, type DeflectionRule } from '../../src/deflection/deflection-rules.js';

const facts = (f: Partial<CallFacts> = {}): CallFacts => ({ callerType: 'mobile', now: new Date('2026-11-25T14:00:00Z'), queueWaitSeconds: 0, agentsAvailable: 2, ...f });
const rule = (when: DeflectionRule['when'], then: DeflectionRule['then'] = 'deflect_chat'): DeflectionRule => ({ when, then });

describe('deflection rules', () => {
  test('first matching rule wins; no match continues', () => {
    const rules = [rule({ callerType: 'landline' }, 'continue'), rule({ callerType: 'mobile' }), rule({}, 'continue')];
    assert.equal(evaluateRules(rules, facts({ callerType: 'mobile' })), 'deflect_chat');
    assert.equal(evaluateRules(rules, facts({ callerType: 'landline' })), 'continue');
    assert.equal(evaluateRules([rule({ callerType: 'mobile' })], facts({ callerType: 'unknown' })), 'continue');
    assert.equal(evaluateRules([rule({ callerType: 'any' })], facts({ callerType: 'unknown' })), 'deflect_chat');
    assert.equal(evaluateRules([], facts()), 'continue');
  });

  test('every condition of a rule must hold', () => {
    const r = [rule({ callerType: 'mobile', queueWaitAbove: 60, noAgentsAvailable: true })];
    assert.equal(evaluateRules(r, facts({ queueWaitSeconds: 61, agentsAvailable: 0 })), 'deflect_chat');
    assert.equal(evaluateRules(r, facts({ queueWaitSeconds: 60, agentsAvailable: 0 })), 'continue', 'above, not at');
    assert.equal(evaluateRules(r, facts({ queueWaitSeconds: 61, agentsAvailable: 1 })), 'continue');
    assert.equal(evaluateRules([rule({ noAgentsAvailable: false })], facts({ agentsAvailable: 1 })), 'deflect_chat');
  });

  test('hours are local to the rule’s zone and may span midnight', () => {
    // 14:00Z is 15:00 in Paris (CET) and 09:00 in New York (EST).
    const paris = [rule({ hours: { from: '15:00', to: '18:00', tz: 'Europe/Paris' } })];
    assert.equal(evaluateRules(paris, facts()), 'deflect_chat');
    assert.equal(evaluateRules(paris, facts({ now: new Date('2026-11-25T13:59:00Z') })), 'continue');
    assert.equal(evaluateRules(paris, facts({ now: new Date('2026-11-25T17:00:00Z') })), 'continue', 'to is exclusive');
    const night = [rule({ hours: { from: '22:00', to: '06:00', tz: 'America/New_York' } })];
    assert.equal(evaluateRules(night, facts({ now: new Date('2026-11-26T04:30:00Z') })), 'deflect_chat', '23:30 local');
    assert.equal(evaluateRules(night, facts({ now: new Date('2026-11-26T10:30:00Z') })), 'deflect_chat', '05:30 local');
    assert.equal(evaluateRules(night, facts()), 'continue', '09:00 local');
  });

  test('routing facts are needed only by rules that look at queues or agents', () => {
    assert.equal(needsRoutingFacts([rule({ callerType: 'mobile' })]), false);
    assert.equal(needsRoutingFacts([rule({}), rule({ queueWaitAbove: 5 })]), true);
  });

  test('the schema rejects bad definitions with the path of the fault', () => {
    const bad = rulesSchema.safeParse([{ when: {} , then: 'continue' }, { when: { hours: { from: '25:00', to: '06:00', tz: 'Mars/Olympus' } }, then: 'deflect_chat' }, { when: { callerType: 'fax' }, then: 'x' }]);
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['1.when.hours.from', '1.when.hours.tz', '2.then', '2.when.callerType']);
  });

  test('caller type from the number plan, and the number from a SIP URI', () => {
    assert.equal(callerTypeOf('+33612345678'), 'mobile');
    assert.equal(callerTypeOf('+442079460000'), 'landline');
    assert.equal(callerTypeOf('+12025550123'), 'unknown', 'NANP does not separate mobiles');
    assert.equal(callerTypeOf('alice'), 'unknown');
    assert.equal(phoneOf('sip:+33612345678@127.0.0.1:5060'), '+33612345678');
    assert.equal(phoneOf('sip:alice@example.com'), null);
  });
});
