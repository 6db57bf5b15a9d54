import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { Subscription } from '../../bus/event-bus.js';
import type { HttpApp } from '../../http/http-types.js';
import type { ChatService } from './chat-service.js';
import { readVisitorToken } from './visitor-token.js';

const clientMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('typing'), typing: z.boolean() }).strict(),
  z.object({ kind: z.literal('ping') }).strict(),
]);

/**
 * `/api/chat/visitor/ws?token=…`: the live side of a web chat for a visitor
 * without a user session. It streams the conversation's chat events and takes
 * typing signals; messages are sent over HTTP so each one gets a stored id.
 */
export class VisitorSockets {
  private readonly byConversation = new Map<string, Set<WebSocket>>();
  private sub: Subscription | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly chat: () => ChatService,
  ) {}

  /** Subscribes on the first visitor, so a server nobody chats with does no fan-out work. */
  private async follow(): Promise<void> {
    if (this.sub) return;
    this.sub = await this.ctx.bus.subscribe({ types: ['chat.'] }, (event) => {
      const sockets = this.byConversation.get((event.data as { conversationId?: string }).conversationId ?? '');
      if (!sockets) return;
      const payload = JSON.stringify({ kind: 'event', event: { type: event.type, time: event.time, data: event.data } });
      for (const s of sockets) if (s.readyState === s.OPEN) s.send(payload);
    });
  }

  private async stop(): Promise<void> {
    await this.sub?.unsubscribe();
    this.sub = null;
    for (const set of this.byConversation.values()) for (const s of set) s.close(1001, 'server stopping');
  }

  register(app: HttpApp): void {
    app.addHook('onClose', () => this.stop());
    app.get(
      '/api/chat/visitor/ws',
      {
        websocket: true,
        config: { auth: false },
        schema: { tags: ['chat'], summary: 'WebSocket for a web-chat visitor: chat events of the conversation; send {kind:"typing", typing}', querystring: z.object({ token: z.string().max(2000) }).strict() },
      },
      async (socket, req) => {
        let claims: ReturnType<typeof readVisitorToken>;
        try {
          claims = readVisitorToken(this.ctx.secretBox, req.query.token);
        } catch (err) {
          socket.send(JSON.stringify({ kind: 'error', code: (err as { code?: string }).code ?? 'invalid_visitor_token', message: (err as Error).message }));
          socket.close(4401, 'invalid token');
          return;
        }
        await this.follow();
        let set = this.byConversation.get(claims.conversationId);
        if (!set) this.byConversation.set(claims.conversationId, (set = new Set()));
        set.add(socket);
        socket.on('close', () => {
          set.delete(socket);
          if (set.size === 0) this.byConversation.delete(claims.conversationId);
        });
        socket.on('message', async (raw) => {
          let parsed: z.infer<typeof clientMessage>;
          try {
            parsed = clientMessage.parse(JSON.parse(raw.toString()));
          } catch {
            socket.send(JSON.stringify({ kind: 'error', code: 'malformed_message', message: 'Expected {kind:"typing", typing} or {kind:"ping"}' }));
            return;
          }
          if (parsed.kind === 'ping') return socket.send('{"kind":"pong"}');
          const conv = await this.chat().repo.get(claims.tenantId, claims.conversationId);
          if (conv?.state === 'open') await this.chat().typing(conv, claims.customerId ? 'customer' : 'visitor', claims.name, parsed.typing);
        });
        socket.send(JSON.stringify({ kind: 'hello', conversationId: claims.conversationId }));
      },
    );
  }
}
