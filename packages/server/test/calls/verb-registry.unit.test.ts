/** The verb registry: feature verbs join the calls layer's own in one schema, built once, each name once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerbRegistry } from '../../src/calls/flows/verb-registry.js';
import { roomVerb } from '../../src/rooms/room-verb.js';

const noop = async () => {};

test('a registered verb is valid in flows, nested ones too; an unregistered one is not', () => {
  const verbs = new VerbRegistry();
  verbs.register('room', { schema: roomVerb, run: noop });
  const flow = [{ verb: 'say', text: 'hi' }, { verb: 'gather', branches: { '1': [{ verb: 'room', room: 'lobby' }] } }];
  const parsed = verbs.list.parse(flow);
  assert.deepEqual((parsed[1] as { branches: Record<string, unknown[]> }).branches['1'], [{ verb: 'room', room: 'lobby', role: 'speaker' }]);
  assert.equal(verbs.list.safeParse([{ verb: 'deflect' }]).success, false, 'deflect was never registered here');
  assert.ok(verbs.handler('room'));
  assert.equal(verbs.handler('say'), undefined, 'the calls layer runs its own verbs');
});

test('a name is registered once, and never after the schema was built', () => {
  const verbs = new VerbRegistry();
  verbs.register('room', { schema: roomVerb, run: noop });
  assert.throws(() => verbs.register('room', { schema: roomVerb, run: noop }), /twice/);
  assert.throws(() => verbs.register('say' as never, { schema: roomVerb as never, run: noop }), /twice/, 'a core verb cannot be replaced');
  const late = new VerbRegistry();
  late.list.parse([{ verb: 'hangup' }]);
  assert.throws(() => late.register('room', { schema: roomVerb, run: noop }), /after the flow schema was built/);
});
