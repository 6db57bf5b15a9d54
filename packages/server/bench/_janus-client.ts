/**
 * A minimal Janus (VideoRoom plugin) client over its HTTP API with long polling, for the
 * SFU benchmark's anchor: one publisher, many subscribers, werift peers as the clients.
 */
import type { NodePeer } from '../test/webrtc/node-peer.js';

const ROOM = 1234;

interface JanusMessage {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id: number };
  plugindata?: { data: Record<string, unknown> };
  jsep?: { type: string; sdp: string };
  error?: { code: number; reason: string };
}

export class JanusClient {
  private readonly waiting = new Map<string, (m: JanusMessage) => void>();
  private polling = true;
  private tx = 0;

  private constructor(
    private readonly base: string,
    private readonly session: number,
  ) {
    void this.poll();
  }

  static async connect(url: string): Promise<JanusClient> {
    const base = `${url}/janus`;
    const created = await post(base, { janus: 'create', transaction: 'c' });
    return new JanusClient(base, created.data!.id);
  }

  /** Publishes the peer's audio (or video); returns the publisher (feed) id. */
  async publish(peer: NodePeer): Promise<number> {
    const handle = await this.attach();
    const joined = await this.message(handle, { request: 'join', ptype: 'publisher', room: ROOM, display: 'bench' });
    const id = joined.plugindata!.data.id as number;
    const answer = await this.message(handle, { request: 'publish', audio: peer.codec !== 'vp8', video: peer.codec === 'vp8' }, { type: 'offer', sdp: await peer.offer() });
    if (!answer.jsep) throw new Error(`janus publish: ${JSON.stringify(answer.plugindata)}`);
    await peer.accept(answer.jsep.sdp);
    await peer.connected();
    return id;
  }

  /** Subscribes the peer to a feed: Janus offers, the peer answers. */
  async subscribe(peer: NodePeer, feed: number): Promise<void> {
    const handle = await this.attach();
    const attached = await this.message(handle, { request: 'join', ptype: 'subscriber', room: ROOM, streams: [{ feed }] });
    if (!attached.jsep) throw new Error(`janus subscribe: ${JSON.stringify(attached.plugindata)}`);
    const answer = await peer.answer(attached.jsep.sdp);
    await this.message(handle, { request: 'start' }, { type: 'answer', sdp: answer });
    await peer.connected(20_000);
  }

  async close(): Promise<void> {
    this.polling = false;
    await post(`${this.base}/${this.session}`, { janus: 'destroy', transaction: 'd' }).catch(() => undefined);
  }

  private async attach(): Promise<number> {
    const r = await post(`${this.base}/${this.session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: this.nextTx() });
    return r.data!.id;
  }

  /** Sends a plugin message and resolves with the asynchronous event that answers it. */
  private async message(handle: number, body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<JanusMessage> {
    const transaction = this.nextTx();
    const event = new Promise<JanusMessage>((resolve) => this.waiting.set(transaction, resolve));
    const ack = await post(`${this.base}/${this.session}/${handle}`, { janus: 'message', transaction, body, ...(jsep ? { jsep } : {}) });
    if (ack.janus === 'success') return ack; // synchronous requests answer at once
    const m = await event;
    const err = m.plugindata?.data.error;
    if (err) throw new Error(`janus: ${String(err)}`);
    return m;
  }

  private nextTx(): string {
    return `t${++this.tx}`;
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      try {
        const res = await fetch(`${this.base}/${this.session}?maxev=50&rid=${Date.now()}`);
        const body = (await res.json()) as JanusMessage | JanusMessage[];
        for (const m of Array.isArray(body) ? body : [body]) {
          if (m.janus === 'event' && m.transaction) {
            this.waiting.get(m.transaction)?.(m);
            this.waiting.delete(m.transaction);
          }
        }
      } catch {
        if (this.polling) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

async function post(url: string, body: unknown): Promise<JanusMessage> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const m = (await res.json()) as JanusMessage;
  if (m.janus === 'error') throw new Error(`janus ${m.error?.code}: ${m.error?.reason}`);
  return m;
}
