import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { isStaff, type Principal } from '../auth/principal.js';
import type { Subscription } from '../bus/event-bus.js';
import { typeMatches, type AnyEvent } from '../bus/event-map.js';
import { CallsightError } from '../core/errors.js';
import { eventTypePrefix } from './common-schemas.js';
import type { HttpApp } from './http-types.js';

/** A connected WebSocket client and what it asked to see. */
export interface WsClient {
  readonly id: number;
  readonly principal: Principal;
  send(message: object): void;
  /** Sends an already encoded message (one encoding fanned out to many sockets). */
  sendText(text: string): void;
  types: string[];
  interactionId?: string;
  /** Runs when the socket closes, e.g. to end the WebRTC sessions it signalled. */
  onClose(listener: () => void): void;
  /** Ends the socket (its credentials were revoked). */
  close(code: number, reason: string): void;
}

/**
 * Close code of a socket whose credentials ended (revoked key, logout, user changed or
 * disabled); the SDK reconnects only after `user_changed` (to pick up a new role).
 */
export const WS_CREDENTIALS_ENDED = 4401;

type Handler<S extends z.ZodType> = (client: WsClient, msg: z.output<S>) => Promise<object | void> | object | void;

const subscribeMsg = z
  .object({
    kind: z.literal('subscribe'),
    ref: z.string().max(64).optional(),
    types: z.array(eventTypePrefix).max(50).default([]),
    interactionId: z.string().max(64).optional(),
  })
  .strict();

/**
 * `/api/ws`: one socket per app carries the live event stream and, for features
 * that register a message kind (WebRTC signalling, chat typing…), requests.
 * Messages are JSON `{kind, ref?, …}`; replies echo `ref`; errors are
 * `{kind:'error', ref, code, message}` and never close the socket.
 */
export class WsHub {
  private readonly clients = new Set<WsClient>();
  private readonly handlers = new Map<string, { schema: z.ZodType; handler: Handler<z.ZodType> }>();
  private sub: Subscription | null = null;
  private revocations: Subscription | null = null;
  private nextId = 1;

  constructor(private readonly ctx: AppContext) {
    this.handle('subscribe', subscribeMsg, (client, msg) => {
      client.types = msg.types;
      client.interactionId = msg.interactionId;
      return { kind: 'subscribed', types: msg.types, interactionId: msg.interactionId ?? null };
    });
    this.handle('ping', z.object({ kind: z.literal('ping'), ref: z.string().max(64).optional() }), () => ({ kind: 'pong' }));
  }

  /** Features add message kinds; the schema validates before the handler runs. */
  handle<S extends z.ZodType>(kind: string, schema: S, handler: Handler<S>): void {
    this.handlers.set(kind, { schema, handler: handler as Handler<z.ZodType> });
  }

  /** Send to the sockets of one user (e.g. an incoming-call signal). */
  sendToUser(tenantId: string, userId: string, message: object): number {
    let n = 0;
    for (const c of this.clients) {
      if (c.principal.tenantId === tenantId && c.principal.userId === userId) {
        c.send(message);
        n++;
      }
    }
    return n;
  }

  async start(): Promise<void> {
    this.sub = await this.ctx.bus.subscribe({}, (event) => this.fanOut(event));
    // Through the bus, so a key revoked or a session ended in any process closes the sockets in every one.
    this.revocations = await this.ctx.bus.subscribe({ types: ['apikey.revoked', 'session.ended', 'user.updated', 'user.removed'] }, (event) => {
      const ended = credentialsEnded(event);
      if (!ended) return;
      for (const c of this.clients) {
        if (c.principal.tenantId === event.tenantId && ended.matches(c.principal)) c.close(WS_CREDENTIALS_ENDED, ended.reason);
      }
    });
  }

  async stop(): Promise<void> {
    await this.sub?.unsubscribe();
    await this.revocations?.unsubscribe();
  }

  private fanOut(event: AnyEvent): void {
    const payload = JSON.stringify({ kind: 'event', event });
    for (const c of this.clients) {
      if (c.principal.tenantId !== event.tenantId) continue;
      if (!isStaff(c.principal) && !(c.principal.userId && event.userIds?.includes(c.principal.userId))) continue;
      if (c.interactionId && c.interactionId !== event.interactionId) continue;
      if (!typeMatches(event.type, c.types)) continue;
      c.sendText(payload);
    }
  }

  register(app: HttpApp): void {
    app.get(
      '/api/ws',
      {
        websocket: true,
        schema: {
          tags: ['realtime'],
          summary: 'WebSocket: live events ({kind:"subscribe", types, interactionId}) and feature signalling',
          querystring: z
            .object({ types: z.string().max(1000).optional(), interactionId: z.string().max(64).optional() })
            .strict(),
        },
      },
      (socket, req) => {
        const client: WsClient = {
          id: this.nextId++,
          principal: req.principal,
          send: (message) => client.sendText(JSON.stringify(message)),
          sendText: (text) => {
            if (socket.readyState === socket.OPEN) socket.send(text);
          },
          types: req.query.types ? req.query.types.split(',').filter(Boolean) : [],
          interactionId: req.query.interactionId,
          // A socket that closed while a handler awaited (the peer vanished mid-offer) still releases what it opened.
          onClose: (listener) => (socket.readyState === socket.CLOSED ? queueMicrotask(() => listener()) : socket.on('close', listener)),
          close: (code, reason) => {
            this.clients.delete(client);
            socket.close(code, reason);
          },
        };
        this.clients.add(client);
        socket.on('close', () => this.clients.delete(client));
        socket.on('message', (data) => void this.onMessage(client, data.toString()));
        client.send({ kind: 'hello', tenantId: req.principal.tenantId, userId: req.principal.userId, role: req.principal.role });
      },
    );
  }

  private async onMessage(client: WsClient, text: string): Promise<void> {
    let ref: string | undefined;
    try {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        throw new CallsightError('malformed_message', 'Message is not JSON', { status: 400 });
      }
      const kind = (msg as { kind?: unknown })?.kind;
      ref = typeof (msg as { ref?: unknown }).ref === 'string' ? (msg as { ref: string }).ref : undefined;
      const entry = typeof kind === 'string' ? this.handlers.get(kind) : undefined;
      if (!entry) throw new CallsightError('unknown_kind', `Unknown message kind ${String(kind)}`, { status: 400 });
      const parsed = entry.schema.safeParse(msg);
      if (!parsed.success) {
        throw new CallsightError('validation_failed', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
          status: 400,
        });
      }
      const reply = await entry.handler(client, parsed.data);
      if (reply) client.send({ ...reply, ...(ref ? { ref } : {}) });
    } catch (err) {
      const e = err instanceof CallsightError ? err : new CallsightError('internal', 'Internal error');
      if (!(err instanceof CallsightError)) this.ctx.log.error({ err }, 'ws handler failed');
      client.send({ kind: 'error', ...(ref ? { ref } : {}), code: e.code, message: e.message });
    }
  }

  get size(): number {
    return this.clients.size;
  }
}

/** Which sockets an event takes the credentials from, or null when it takes none. */
function credentialsEnded(event: AnyEvent): { reason: string; matches(p: Principal): boolean } | null {
  switch (event.type) {
    case 'apikey.revoked':
      return { reason: 'api_key_revoked', matches: (p) => p.apiKeyId === event.data.apiKeyId };
    case 'session.ended':
      return { reason: 'session_ended', matches: (p) => p.sessionRef === event.data.sessionRef };
    case 'user.updated':
      // A new role is picked up on reconnect (the socket's filters were chosen for the old one).
      if (!event.data.changed.some((c) => c === 'role' || c === 'disabled' || c === 'password')) return null;
      return { reason: event.data.changed.includes('disabled') ? 'user_disabled' : 'user_changed', matches: (p) => p.userId === event.data.userId };
    case 'user.removed':
      return { reason: 'user_removed', matches: (p) => p.userId === event.data.userId };
    default:
      return null;
  }
}
