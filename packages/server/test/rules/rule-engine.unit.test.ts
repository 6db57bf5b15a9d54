import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { RuleDefinition } from '@callsight/protocol';
import { compileCondition } from '../../src/rules/rule-expressions.js';
import { findLoop, parseRuleDefinition } from '../../src/rules/rule-definition.js';
import { RuleEngine, type EngineEvent, type EngineRule, type Firing } from '../../src/rules/rule-engine.js';
import { fillTemplate } from '../../src/rules/rule-templates.js';
import { checkSchema, validate } from '../../src/rules/event-schema.js';

const card = { kind: 'card', card: { kind: 'form', title: 'Order {{data.orderId}} is late' } } as const;

function rule(id: string, def: Partial<RuleDefinition> & Pick<RuleDefinition, 'trigger'>, mode: 'active' | 'shadow' = 'active'): EngineRule {
  const parsed = parseRuleDefinition({ name: id, actions: [card], ...def }, '');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { id, version: 1, mode, definition: parsed.definition, conditions: parsed.conditions };
}

let n = 0;
const ev = (type: string, time: number, extra: Partial<EngineEvent> = {}): EngineEvent => ({
  id: extra.id ?? `evt_${String(++n).padStart(6, '0')}`,
  type,
  time,
  customerId: 'usr_c',
  interactionId: null,
  data: {},
  ...extra,
});

function run(rules: EngineRule[], events: EngineEvent[], opts: { latenessMs?: number } = {}): Firing[] {
  const e = new RuleEngine(opts);
  e.setRules(rules);
  const out: Firing[] = [];
  for (const x of events) {
    e.push(x);
    out.push(...e.advance(e.liveWatermark(-Infinity)).firings);
  }
  out.push(...e.flush().firings);
  return out;
}
const keys = (f: Firing[]) => f.map((x) => x.key).sort();

const RULES = () => [
  rule('single', { trigger: { kind: 'event', event: { type: 'order.delayed', when: 'event.data.minutes > 30' } }, while: 'call_active' }),
  rule('seq', { trigger: { kind: 'sequence', steps: [{ type: 'chat.message' }, { type: 'call.created' }], withinSeconds: 600 } }),
  rule('count', { trigger: { kind: 'count', event: { type: 'payment.failed' }, count: 3, withinSeconds: 600 } }),
  rule('absence', { trigger: { kind: 'absence', after: { type: 'chat.message', when: 'event.data.author == "customer"' }, missing: { type: 'chat.message', when: 'event.data.author == "agent"' }, withinSeconds: 120 } }),
  rule('capped', { trigger: { kind: 'event', event: { type: 'app.tap' } }, cap: { max: 2, perSeconds: 3600 } }),
];

describe('rule expressions (CEL)', () => {
  test('compile, evaluate, and report errors with their position', () => {
    const ok = compileCondition('event.data.amount > 100 && event.type == "payment.failed"');
    assert.ok(ok.ok);
    assert.equal(ok.fn({ event: { type: 'payment.failed', data: { amount: 150 } }, customer: {} }), true);
    assert.equal(ok.fn({ event: { type: 'payment.failed', data: { amount: 50 } }, customer: {} }), false);
    assert.equal(ok.fn({ event: { type: 'payment.failed', data: {} }, customer: {} }), false, 'a missing field does not match');
    const bad = compileCondition('event.data.amount >');
    assert.ok(!bad.ok);
    assert.equal(bad.error.position, 19);
    const unknown = compileCondition('nope == 1');
    assert.ok(!unknown.ok);
    assert.match(unknown.error.message, /nope/);
    assert.equal(unknown.error.position, 0);
    const notBool = compileCondition('1 + 2');
    assert.ok(!notBool.ok);
  });

  test('an expression that could run unbounded is refused at save (cost limit)', () => {
    const nested = compileCondition('event.data.items.all(x, event.data.items.exists(y, y == x))');
    assert.ok(!nested.ok);
    assert.match(nested.error.message, /too costly/);
    const huge = compileCondition(Array.from({ length: 70 }, () => `1 == 1`).join(' || '));
    assert.ok(!huge.ok);
    assert.match(huge.error.message, /too costly/);
    assert.ok(compileCondition('event.data.items.exists(y, y > 3)').ok, 'one level of a list macro is fine');
  });

  test('no prototype access or code execution through data', () => {
    const c = compileCondition('event.data.constructor == "x"');
    assert.ok(c.ok);
    assert.equal(c.fn({ event: { data: {} }, customer: {} }), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('rule definitions', () => {
  test('invalid definitions name the path and the expression position', () => {
    const r = parseRuleDefinition({ name: 'x', trigger: { kind: 'event', event: { type: 'order.delayed', when: 'event.data.x ==' } }, actions: [card] });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]!.path, 'body.trigger.event.when');
    assert.equal(r.issues[0]!.position, 15);
    const shape = parseRuleDefinition({ name: 'x', trigger: { kind: 'sequence', steps: [{ type: 'a' }], withinSeconds: 0 }, actions: [] });
    assert.ok(!shape.ok);
    assert.deepEqual(shape.issues.map((i) => i.path).sort(), ['body.actions', 'body.trigger.steps', 'body.trigger.withinSeconds']);
  });

  test('a rule set whose actions trigger itself is a loop', () => {
    const a = { id: 'a', definition: { name: 'Text on text', trigger: { kind: 'event', event: { type: 'sms.sent' } }, actions: [{ kind: 'sms', text: 'hi' }] } as RuleDefinition };
    assert.deepEqual(findLoop([a]), ['Text on text', 'Text on text']);
    const b = { id: 'b', definition: { name: 'Card on text', trigger: { kind: 'event', event: { type: 'sms.' } }, actions: [card] } as RuleDefinition };
    const c = { id: 'c', definition: { name: 'Text on card', trigger: { kind: 'event', event: { type: 'confirm.presented' } }, actions: [{ kind: 'sms', text: 'x' }] } as RuleDefinition };
    assert.deepEqual(findLoop([b, c]), ['Card on text', 'Text on card', 'Card on text']);
    assert.equal(findLoop([b]), null);
  });

  test('templates fill plain paths only', () => {
    assert.equal(fillTemplate('Order {{data.orderId}} ({{type}}) {{data.nope.x}}{{data.__proto__}}', { type: 'order.delayed', data: { orderId: 'A1' } }), 'Order A1 (order.delayed) ');
  });

  test('event type schemas', () => {
    const schema = { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', minLength: 1 }, minutes: { type: 'integer', minimum: 0 } }, additionalProperties: false };
    assert.deepEqual(checkSchema(schema), []);
    assert.deepEqual(validate(schema, { orderId: 'A', minutes: 5 }), []);
    assert.deepEqual(
      validate(schema, { minutes: -1, extra: 1 }).map((i) => i.path),
      ['body.data.orderId', 'body.data.minutes', 'body.data.extra'],
    );
    assert.equal(checkSchema({ type: 'objekt', $ref: '#' }).length, 2);
  });
});

describe('rule engine', () => {
  test('single event with a condition while a call is active', () => {
    const rules = [RULES()[0]!];
    const t = 1_000_000;
    assert.equal(run(rules, [ev('order.delayed', t, { data: { minutes: 45 } })]).length, 0, 'no call');
    const f = run(rules, [ev('call.created', t, { interactionId: 'int_1', data: { callId: 'call_1' } }), ev('order.delayed', t + 1, { data: { minutes: 45 } }), ev('order.delayed', t + 2, { data: { minutes: 5 } })]);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.interactionId, 'int_1', 'acts on the live call’s interaction');
    assert.equal(run(rules, [ev('call.created', t, { interactionId: 'int_1', data: { callId: 'call_1' } }), ev('call.ended', t + 1, { interactionId: 'int_1', data: { callId: 'call_1' } }), ev('order.delayed', t + 2, { data: { minutes: 45 } })]).length, 0);
  });

  test('sequence within a window, count, absence, cap', () => {
    const t = 2_000_000;
    const [, seq, count, absence, capped] = RULES();
    assert.equal(run([seq!], [ev('chat.message', t), ev('call.created', t + 60_000)]).length, 1);
    assert.equal(run([seq!], [ev('chat.message', t), ev('call.created', t + 601_000)]).length, 0, 'outside the window');
    assert.equal(run([seq!], [ev('call.created', t), ev('chat.message', t + 1)]).length, 0, 'order matters');
    assert.equal(run([count!], [ev('payment.failed', t), ev('payment.failed', t + 1), ev('payment.failed', t + 2)]).length, 1);
    assert.equal(run([count!], [ev('payment.failed', t), ev('payment.failed', t + 1), ev('payment.failed', t + 700_000)]).length, 0);
    const c = ev('chat.message', t, { data: { author: 'customer' } });
    assert.equal(run([absence!], [c, ev('chat.message', t + 60_000, { data: { author: 'agent' } })]).length, 0, 'answered in time');
    const late = run([absence!], [c, ev('chat.message', t + 200_000, { data: { author: 'agent' } })]);
    assert.equal(late.length, 1);
    assert.equal(late[0]!.at, t + 120_000, 'fires at the deadline');
    assert.equal(run([capped!], [ev('app.tap', t), ev('app.tap', t + 1), ev('app.tap', t + 2)]).length, 2);
  });

  test("an answered absence window leaves no deadline behind; another customer's still fires", () => {
    const t = 3_000_000;
    const absence = RULES()[3]!;
    const e = new RuleEngine();
    e.setRules([absence]);
    const asked = (who: string, at: number) => ev('chat.message', at, { customerId: who, data: { author: 'customer' } });
    const answered = (who: string, at: number) => ev('chat.message', at, { customerId: who, data: { author: 'agent' } });
    e.push(asked('usr_a', t));
    e.push(answered('usr_a', t + 10_000));
    e.advance(t + 10_000);
    assert.equal(e.nextDeadline(), undefined, 'the answered window is not waited for');
    e.push(asked('usr_a', t + 20_000));
    e.push(asked('usr_b', t + 30_000));
    e.push(answered('usr_a', t + 40_000));
    e.advance(t + 40_000);
    assert.equal(e.nextDeadline(), t + 150_000, "only usr_b's window is open");
    const fired = e.advance(t + 200_000).firings;
    assert.deepEqual(fired.map((f) => [f.customerId, f.at]), [['usr_b', t + 150_000]]);
  });

  test('once per interaction and loop protection', () => {
    const once = rule('once', { trigger: { kind: 'event', event: { type: 'app.tap' } }, oncePerInteraction: true });
    const t = 3_000_000;
    assert.equal(run([once], [ev('app.tap', t, { interactionId: 'int_a' }), ev('app.tap', t + 1, { interactionId: 'int_a' }), ev('app.tap', t + 2, { interactionId: 'int_b' })]).length, 2);
    const e = new RuleEngine({ maxDepth: 3 });
    e.setRules([rule('loop', { trigger: { kind: 'event', event: { type: 'sms.sent' } } })]);
    e.push(ev('sms.sent', t, { depth: 3 }));
    const out = e.flush();
    assert.equal(out.firings.length, 0);
    assert.equal(out.traces[0]!.outcome, 'loop_stopped');
  });

  test('shadow rules fire in the trace only', () => {
    const e = new RuleEngine();
    e.setRules([rule('s', { trigger: { kind: 'event', event: { type: 'app.tap' } } }, 'shadow')]);
    e.push(ev('app.tap', 1));
    const out = e.flush();
    assert.equal(out.firings[0]!.mode, 'shadow');
    assert.equal(out.traces[0]!.outcome, 'shadow_fired');
  });
});

describe('rule engine properties', () => {
  // A customer's stream of mixed events over ~15 minutes, ids unique and in time order.
  const stream = fc
    .array(
      fc.record({
        type: fc.constantFrom('chat.message', 'call.created', 'call.ended', 'payment.failed', 'order.delayed', 'app.tap'),
        dt: fc.integer({ min: 1, max: 90_000 }),
        author: fc.constantFrom('customer', 'agent'),
        minutes: fc.integer({ min: 0, max: 60 }),
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((xs) => {
      let t = 10_000_000;
      return xs.map((x, i) => {
        t += x.dt;
        return ev(x.type, t, { id: `evt_${String(i).padStart(4, '0')}`, interactionId: 'int_1', data: { author: x.author, minutes: x.minutes, callId: 'call_1', conversationId: 'conv_1' } });
      });
    });

  test('duplicated and reordered delivery (within the lateness) gives the same firings as in-order', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 20 }), (events, swaps, dups) => {
        const inOrder = keys(run(RULES(), events, { latenessMs: 200_000 }));
        const shuffled = [...events];
        // Reorder neighbours (disorder bounded by the lateness) and deliver some twice.
        for (const s of swaps) {
          const i = s % shuffled.length;
          const j = Math.min(shuffled.length - 1, i + 1);
          if (Math.abs(shuffled[i]!.time - shuffled[j]!.time) < 150_000) [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        // A redelivery comes after the original, at most a few events later.
        for (const d of dups) {
          const dup = events[d % events.length]!;
          const at = shuffled.indexOf(dup);
          shuffled.splice(Math.min(shuffled.length, at + 1 + (d % 3)), 0, dup);
        }
        const disordered = keys(run(RULES(), shuffled, { latenessMs: 200_000 }));
        assert.deepEqual(disordered, inOrder);
      }),
      { numRuns: 150 },
    );
  });

  test('a restart in the middle of a window (state reloaded from what was persisted) gives the same firings', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (events, cut) => {
        const all = keys(run(RULES(), events));
        const at = cut % (events.length + 1);
        const a = new RuleEngine();
        a.setRules(RULES());
        const fired: Firing[] = [];
        for (const x of events.slice(0, at)) {
          a.push(x);
          fired.push(...a.advance(a.liveWatermark(-Infinity)).firings);
        }
        const persisted = a.takeDirty();
        const wm = a.currentWatermark;
        const b = new RuleEngine();
        b.setRules(RULES());
        b.load(persisted.filter((p) => p.state != null), wm);
        // Redelivery after the crash: the last event before the cut comes again.
        for (const x of [...events.slice(Math.max(0, at - 1), at).map((e) => ({ ...e })), ...events.slice(at)]) {
          b.push(x);
          fired.push(...b.advance(b.liveWatermark(-Infinity)).firings);
        }
        fired.push(...b.flush().firings);
        assert.deepEqual([...new Set(keys(fired))].sort(), all);
      }),
      { numRuns: 150 },
    );
  });

  test('backtest (one batch over the log) equals live evaluation (event by event, watermark by wall clock)', () => {
    fc.assert(
      fc.property(stream, (events) => {
        const live = new RuleEngine();
        live.setRules(RULES());
        const fired: Firing[] = [];
        for (const x of events) {
          live.push(x);
          fired.push(...live.advance(live.liveWatermark(x.time)).firings);
        }
        fired.push(...live.flush().firings);
        const batch = new RuleEngine();
        batch.setRules(RULES());
        for (const x of events) batch.push(x);
        assert.deepEqual(keys(fired), keys(batch.flush().firings));
      }),
      { numRuns: 150 },
    );
  });
});
