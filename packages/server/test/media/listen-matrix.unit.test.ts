import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListenMatrix } from '../../src/media/listen-matrix.js';
import { CONSULT_ROUTES, SUPERVISE_ROUTES } from '../../src/calls/supervised-audio.js';

const frame = (v: number) => new Int16Array(160).fill(v);

test('each listener hears exactly whom the routes say, never themselves; a silent party adds nothing', () => {
  const m = new ListenMatrix(['customer', 'agent', 'supervisor']);
  const heard = (mode: keyof typeof SUPERVISE_ROUTES) => {
    m.route(SUPERVISE_ROUTES[mode]);
    m.setInput('customer', frame(1));
    m.setInput('agent', frame(10));
    m.setInput('supervisor', frame(100));
    m.mix();
    return { customer: m.output('customer')![0], agent: m.output('agent')![0], supervisor: m.output('supervisor')![0] };
  };
  assert.deepEqual(heard('monitor'), { customer: 10, agent: 1, supervisor: 11 });
  assert.deepEqual(heard('whisper'), { customer: 10, agent: 101, supervisor: 11 });
  assert.deepEqual(heard('barge'), { customer: 110, agent: 101, supervisor: 11 });
  // Inputs are per tick: a party that sent nothing this tick is silent.
  m.setInput('agent', frame(10));
  m.mix();
  assert.equal(m.output('customer')![0], 10);
  assert.equal(m.output('agent')![0], 0);
  m.route({ customer: ['customer'] });
  m.setInput('customer', frame(5));
  m.mix();
  assert.equal(m.output('customer')![0], 0, 'nobody hears themselves');
});

test('a consult holds the customer (hears nobody, heard by nobody) while agent and target talk; a conference joins all three', () => {
  const m = new ListenMatrix(['customer', 'agent', 'target']);
  const heard = (mix: keyof typeof CONSULT_ROUTES) => {
    m.route(CONSULT_ROUTES[mix]);
    m.setInput('customer', frame(1));
    m.setInput('agent', frame(10));
    m.setInput('target', frame(100));
    m.mix();
    return { customer: m.output('customer')![0], agent: m.output('agent')![0], target: m.output('target')![0] };
  };
  assert.deepEqual(heard('hold'), { customer: 0, agent: 0, target: 0 });
  assert.deepEqual(heard('consult'), { customer: 0, agent: 100, target: 10 });
  assert.deepEqual(heard('conference'), { customer: 110, agent: 101, target: 11 });
});

test('sums saturate to 16 bits instead of wrapping', () => {
  const m = new ListenMatrix(['a', 'b', 'c']);
  m.route({ a: ['b', 'c'] });
  m.setInput('b', frame(30000));
  m.setInput('c', frame(30000));
  m.mix();
  assert.equal(m.output('a')![0], 32767);
  m.setInput('b', frame(-30000));
  m.setInput('c', frame(-30000));
  m.mix();
  assert.equal(m.output('a')![0], -32768);
});
