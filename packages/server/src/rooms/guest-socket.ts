import type { WebSocket } from 'ws';
import { CallsightError } from '../core/errors.js';
import type { HttpApp } from '../http/http-types.js';
import { roomMessages, type RoomSignalling, type SignalClient } from './room-signalling.js';

/**
 * `/api/rooms/ws`: room signalling for people without an account (anonymous listeners
 * with a shared link). It speaks the same messages as /api/ws but accepts only `room.*`
 * and `ping`; the join token is the only credential, so nothing else is reachable.
 */
export function registerGuestSocket(app: HttpApp, signalling: RoomSignalling): void {
  app.get(
    '/api/rooms/ws',
    {
      websocket: true,
      config: { auth: false },
      schema: { tags: ['rooms'], summary: 'WebSocket for guests: room.* signalling authorised by a join token' },
    },
    (socket: WebSocket) => {
      const client: SignalClient = {
        tenantId: null,
        userId: null,
        send: (m) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
        },
        sendText: (text) => {
          if (socket.readyState === socket.OPEN) socket.send(text);
        },
        // A socket that closed while a handler awaited (the peer vanished mid-offer) still releases what it opened.
        onClose: (listener) => (socket.readyState === socket.CLOSED ? queueMicrotask(() => listener()) : socket.on('close', listener)),
      };
      client.send({ kind: 'hello', tenantId: null, userId: null, role: 'guest' });
      socket.on('message', (data) => void dispatch(signalling, client, data.toString()));
    },
  );
}

async function dispatch(signalling: RoomSignalling, client: SignalClient, text: string): Promise<void> {
  let ref: string | undefined;
  try {
    let msg: { kind?: unknown; ref?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      throw new CallsightError('malformed_message', 'Message is not JSON', { status: 400 });
    }
    ref = typeof msg?.ref === 'string' ? msg.ref : undefined;
    if (msg?.kind === 'ping') return client.send({ kind: 'pong', ...(ref ? { ref } : {}) });
    const kind = msg?.kind as keyof typeof roomMessages;
    const schema = typeof kind === 'string' && Object.hasOwn(roomMessages, kind) ? roomMessages[kind] : undefined;
    if (!schema) throw new CallsightError('unknown_kind', `Unknown message kind ${String(msg?.kind)}`, { status: 400 });
    const parsed = schema.safeParse(msg);
    if (!parsed.success) {
      throw new CallsightError('validation_failed', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), { status: 400 });
    }
    const handler = signalling.handlers[kind] as (c: SignalClient, m: unknown) => Promise<object>;
    client.send({ ...(await handler(client, parsed.data)), ...(ref ? { ref } : {}) });
  } catch (err) {
    const e = err instanceof CallsightError ? err : new CallsightError('internal', 'Internal error');
    client.send({ kind: 'error', ...(ref ? { ref } : {}), code: e.code, message: e.message });
  }
}
