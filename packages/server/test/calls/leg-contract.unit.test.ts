/** A leg's state changes only from inside, its events come only from inside, and close() is idempotent. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setListenerErrorHandler } from '../../src/core/typed-emitter.js';
import { Leg, type AudioPort } from '../../src/calls/leg.js';

class TestLeg extends Leg {
  hangups = 0;
  constructor() {
    super('leg_test', 'sip', 'outbound', 'sip:x@127.0.0.1');
  }
  get audio(): AudioPort | null {
    return null;
  }
  ring(): void {
    this.markRinging();
  }
  async answer(): Promise<void> {
    this.markAnswered();
  }
  async hold(): Promise<void> {}
  async resume(): Promise<void> {}
  async hangup(cause: string): Promise<void> {
    this.hangups++;
    this.markEnded(cause);
  }
}

test('close() hangs up once; a throwing listener does not stop the leg from ending', async () => {
  const reported: string[] = [];
  setListenerErrorHandler((_err, event) => reported.push(event));
  const leg = new TestLeg();
  const events: string[] = [];
  leg.on('ringing', () => events.push('ringing'));
  leg.on('ended', () => {
    throw new Error('listener bug');
  });
  leg.on('ended', (cause) => events.push(`ended:${cause}`));
  leg.ring();
  leg.ring();
  assert.equal(leg.state, 'ringing');
  await leg.close();
  await leg.close();
  assert.equal(leg.hangups, 1);
  assert.equal(leg.closed, true);
  assert.equal(leg.state, 'ended');
  assert.deepEqual(events, ['ringing', 'ended:closed']);
  assert.deepEqual(reported, ['ended']);
  const _typing = () => {
    // @ts-expect-error state is read-only outside the leg
    leg.state = 'answered';
    // @ts-expect-error nobody fakes a leg's DTMF from outside
    leg.emit('dtmf', '1');
  };
  void _typing;
});
