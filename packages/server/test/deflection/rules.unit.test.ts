import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callerTypeOf, phoneOf } from '../../src/deflection/caller-type.js';
import { evaluateRules, factsNeeded, matchRule, needsRoutingFacts, rulesSchema, type CallFacts, type DeflectionRule } from '../../src/deflection/deflection-rules.js';
import { menuChoices } from '../../src/deflection/menu-choices.js';
import { VerbRegistry } from '../../src/calls/flows/verb-registry.js';
import { enqueueVerb } from '../../src/routing/enqueue-verb.js';

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

  test('caller number: exact numbers or prefixes; no number never matches', () => {
    const r = [rule({ callerNumber: { prefixes: ['+336', '+337'] } }, 'deflect_menu'), rule({ callerNumber: { numbers: ['+442079460000'] } }, 'deflect_callback')];
    assert.equal(evaluateRules(r, facts({ callerNumber: '+33612345678' })), 'deflect_menu');
    assert.equal(evaluateRules(r, facts({ callerNumber: '+442079460000' })), 'deflect_callback');
    assert.equal(evaluateRules(r, facts({ callerNumber: '+442079460001' })), 'continue');
    assert.equal(evaluateRules(r, facts({ callerNumber: null })), 'continue');
  });

  test('calendar: local weekdays and dates in the rule’s zone', () => {
    // 2026-11-28 is a Saturday; 23:30Z on Friday 27th is already Saturday in Tokyo.
    const weekend = [rule({ calendar: { tz: 'Asia/Tokyo', weekdays: ['sat', 'sun'] } })];
    assert.equal(evaluateRules(weekend, facts({ now: new Date('2026-11-27T23:30:00Z') })), 'deflect_chat');
    assert.equal(evaluateRules(weekend, facts({ now: new Date('2026-11-27T12:00:00Z') })), 'continue', 'Friday evening in Tokyo');
    const holidays = [rule({ calendar: { tz: 'Europe/Paris', dates: ['2026-12-25', '2027-01-01'] } })];
    assert.equal(evaluateRules(holidays, facts({ now: new Date('2026-12-24T23:30:00Z') })), 'deflect_chat', 'already Christmas in Paris');
    assert.equal(evaluateRules(holidays, facts({ now: new Date('2026-12-24T22:30:00Z') })), 'continue');
    // Holidays and weekends in one rule, combined with hours: closed nights too.
    const closed = [rule({ calendar: { tz: 'Europe/Paris', weekdays: ['sun'] } }), rule({ hours: { from: '19:00', to: '08:00', tz: 'Europe/Paris' } })];
    assert.equal(evaluateRules(closed, facts({ now: new Date('2026-11-29T10:00:00Z') })), 'deflect_chat', 'Sunday');
    assert.equal(evaluateRules(closed, facts({ now: new Date('2026-11-25T19:30:00Z') })), 'deflect_chat', 'Wednesday night');
    assert.equal(evaluateRules(closed, facts()), 'continue', 'Wednesday afternoon');
  });

  test('caller history: earlier calls within a window, open conversation', () => {
    const r = [rule({ history: { callsAtLeast: 3, withinDays: 7 } }, 'deflect_callback'), rule({ history: { openConversation: true } })];
    const calls = (n: number) => new Map([[7, n]]);
    assert.equal(evaluateRules(r, facts({ callsWithinDays: calls(3) })), 'deflect_callback');
    assert.equal(evaluateRules(r, facts({ callsWithinDays: calls(2) })), 'continue');
    assert.equal(evaluateRules(r, facts({ callsWithinDays: calls(0), openConversation: true })), 'deflect_chat');
    assert.deepEqual(factsNeeded(rulesSchema.parse(r)), { routing: false, historyDays: [7], openConversation: true });
    assert.deepEqual(factsNeeded(rulesSchema.parse([{ when: { history: { callsAtLeast: 2 } }, then: 'continue' }])).historyDays, [30], 'default window');
    assert.deepEqual(factsNeeded(rulesSchema.parse([{ when: {} , then: 'continue' }])), { routing: false, historyDays: [], openConversation: false }, 'nothing to read');
  });

  test('direction and campaign: outbound rules apply only to unanswered campaign calls, inbound ones only to inbound calls', () => {
    const rules = rulesSchema.parse([
      { direction: 'outbound', when: { campaign: ['renewals'] }, then: 'deflect_callback', options: { queue: 'sales' } },
      { direction: 'outbound', when: {}, then: 'deflect_chat' },
      { when: { callerType: 'mobile' }, then: 'deflect_menu' },
    ]);
    assert.equal(evaluateRules(rules, facts()), 'deflect_menu', 'an old-format rule is inbound');
    assert.equal(matchRule(rules, facts({ direction: 'outbound', campaign: 'renewals' }))?.options?.queue, 'sales');
    assert.equal(evaluateRules(rules, facts({ direction: 'outbound', campaign: 'winback' })), 'deflect_chat');
    assert.equal(factsNeeded(rules, 'outbound').routing, false);
  });

  test('bad definitions of the new conditions are rejected with their paths', () => {
    const bad = rulesSchema.safeParse([
      { when: { campaign: ['x'] }, then: 'deflect_chat' },
      { when: { calendar: { tz: 'Europe/Paris', dates: ['2026-13-01'], weekdays: ['funday'] } }, then: 'deflect_menu' },
      { when: { callerNumber: { prefixes: ['33a'] }, history: { withinDays: 0, callsAtLeast: 1 } }, then: 'continue' },
      { when: {}, then: 'deflect_callback', options: { timeoutSeconds: 1, colour: 'red' } },
      { direction: 'sideways', when: {}, then: 'continue' },
      { when: { calendar: { tz: 'Europe/Paris' }, history: {} }, then: 'continue' },
    ]);
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, [
      '0.when.campaign',
      '1.when.calendar.dates.0',
      '1.when.calendar.weekdays.0',
      '2.when.callerNumber.prefixes.0',
      '2.when.history.withinDays',
      '3.options',
      '3.options.timeoutSeconds',
      '4.direction',
      '5.when.calendar',
      '5.when.history',
    ]);
  });

  test('the visual menu mirrors the flow’s first gather: labels, else the prompt, else “Option n”', () => {
    const registry = new VerbRegistry();
    registry.register('enqueue', { schema: enqueueVerb, run: async () => {} });
    const verbListSchema = registry.list;
    const verbs = verbListSchema.parse([
      { verb: 'say', text: 'Welcome.' },
      {
        verb: 'gather',
        prompt: [{ verb: 'say', text: 'Press 1 for support, 2 for your balance, press 9 to hear an echo.' }],
        labels: { '2': 'Account balance' },
        branches: { '1': [{ verb: 'enqueue', queue: 'support' }], '2': [{ verb: 'hangup' }], '9': [{ verb: 'echo' }], '7': [{ verb: 'hangup' }], default: [{ verb: 'hangup' }] },
      },
    ]);
    assert.deepEqual(menuChoices(verbs), [
      { digits: '1', label: 'Support' },
      { digits: '2', label: 'Account balance' },
      { digits: '7', label: 'Option 7' },
      { digits: '9', label: 'Hear an echo' },
    ]);
    assert.deepEqual(menuChoices(verbListSchema.parse([{ verb: 'hangup' }])), []);
    assert.equal(verbListSchema.safeParse([{ verb: 'gather', branches: {}, labels: { x: 'y' } }]).success, false);
  });
});
