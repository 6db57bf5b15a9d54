import WebSocket from 'ws';
import { CallsightClient, type EventStream } from '../../../sdk/src/index.js';
import type { TestServer } from './test-server.js';

/** A seeded user's realtime socket, opened the way the apps open it (SDK login, then WS). */
export async function realtimeAs(s: TestServer, email: string): Promise<EventStream> {
  const client = new CallsightClient({ baseUrl: s.url, WebSocket });
  await client.login(email, 'demo');
  return client.realtime();
}

/**
 * The two app ends of a call test: the customer's socket, and the agent's with every
 * message collected into `agentPushed`. The agent is subscribed to call pushes before
 * this returns, because a call that rings it earlier would be missed.
 */
export async function customerAndAgent(s: TestServer, agentPushed: unknown[]): Promise<{ customer: EventStream; agent: EventStream }> {
  const customer = await realtimeAs(s, 'customer@acme.test');
  const agent = await realtimeAs(s, 'agent@acme.test');
  agent.on('message', (m) => agentPushed.push(m));
  await agent.request('subscribe', { types: ['call.'] });
  return { customer, agent };
}
