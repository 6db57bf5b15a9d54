import { z } from 'zod';
import type { ChatMessage, Conversation as ConversationDto } from '@callsight/protocol';
import { wire } from '../../http/wire-schema.js';
import type { AppContext } from '../../app-context.js';
import { isStaff, type Principal } from '../../auth/principal.js';
import { CallsightError, badRequest, conflict, notFound } from '../../core/errors.js';
import { idParam } from '../../http/common-schemas.js';
import type { HttpApp } from '../../http/http-types.js';
import type { RoutingService } from '../routing-service.js';
import type { ChatService } from './chat-service.js';
import type { Conversation } from './chat-repo.js';
import { VisitorSockets } from './visitor-sockets.js';
import { readVisitorToken } from './visitor-token.js';

const messageSchema = wire<ChatMessage>()(z.object({
  id: z.string(),
  conversationId: z.string(),
  author: z.enum(['visitor', 'customer', 'agent', 'system']),
  authorId: z.string().nullable(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.number(),
}));
const conversationSchema = wire<ConversationDto>()(z.object({
  id: z.string(),
  tenantId: z.string(),
  interactionId: z.string(),
  itemId: z.string().nullable(),
  visitorName: z.string(),
  customerId: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  createdAt: z.number(),
  closedAt: z.number().nullable(),
}));
const started = z.object({ conversation: conversationSchema, token: z.string(), messages: z.array(messageSchema) });
const text = z.string().trim().min(1).max(4000);
const startFields = {
  queue: z.string().max(40).default('support'),
  subject: z.string().max(200).nullable().default(null),
  message: text.nullable().default(null),
};
const TOKEN_HEADER = 'x-chat-token';
const tokenHeaders = z.object({ [TOKEN_HEADER]: z.string().max(2000) });

/** Web chat: the anonymous visitor side (signed token), and the logged-in side for agents and customers. */
export async function chatRoutes(app: HttpApp, ctx: AppContext, chat: ChatService, routing: RoutingService): Promise<void> {
  const tags = ['chat'];
  new VisitorSockets(ctx, () => chat).register(app);

  // The widget is embedded on the business's own site: visitor calls are cross-origin and carry no cookies.
  // (Chat routes are a plugin of their own, so this hook sees only them.)
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/chat/visitor/')) reply.header('access-control-allow-origin', '*');
  });
  app.options('/api/chat/visitor/*', { config: { auth: false }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('access-control-allow-methods', 'GET, POST').header('access-control-allow-headers', `content-type, ${TOKEN_HEADER}`).header('access-control-max-age', '600').code(204).send(),
  );

  const visitorConversation = async (headers: Record<string, unknown>) => {
    const claims = readVisitorToken(ctx.secretBox, String(headers[TOKEN_HEADER] ?? ''));
    const conv = await chat.repo.get(claims.tenantId, claims.conversationId);
    if (!conv) throw notFound('Conversation');
    return { claims, conv };
  };
  const open = (conv: Conversation) => {
    if (conv.state !== 'open') throw conflict('chat_closed', 'This chat has ended');
    return conv;
  };

  app.post(
    '/api/chat/visitor/conversations',
    {
      config: { auth: false },
      schema: {
        tags,
        summary: 'Start a web chat as an anonymous visitor; returns the token for the other visitor calls',
        security: [],
        body: z.object({ tenant: z.string().min(1).max(64), name: z.string().trim().min(1).max(80), ...startFields }).strict(),
        response: { 201: started },
      },
    },
    async (req, reply) => {
      const tenant = await ctx.tenants.bySlug(req.body.tenant);
      if (!tenant) throw badRequest('unknown_tenant', `No tenant ${req.body.tenant}`);
      const r = await chat.startConversation({ tenantId: tenant.id, name: req.body.name, customerId: null, queueName: req.body.queue, subject: req.body.subject, message: req.body.message });
      return reply.code(201).send({ ...r, messages: await chat.repo.messages(r.conversation.id) });
    },
  );

  app.get(
    '/api/chat/visitor/messages',
    { config: { auth: false }, schema: { tags, summary: 'The visitor’s conversation and its messages', security: [], headers: tokenHeaders, response: { 200: z.object({ conversation: conversationSchema, messages: z.array(messageSchema) }) } } },
    async (req) => {
      const { conv } = await visitorConversation(req.headers);
      return { conversation: conv, messages: await chat.repo.messages(conv.id) };
    },
  );

  app.post(
    '/api/chat/visitor/messages',
    { config: { auth: false }, schema: { tags, summary: 'Send a message as the visitor', security: [], headers: tokenHeaders, body: z.object({ text }).strict(), response: { 201: messageSchema } } },
    async (req, reply) => {
      const { claims, conv } = await visitorConversation(req.headers);
      const msg = await chat.post(open(conv), claims.customerId ? 'customer' : 'visitor', claims.customerId, claims.name, req.body.text);
      return reply.code(201).send(msg);
    },
  );

  app.post(
    '/api/chat/visitor/leave',
    { config: { auth: false }, schema: { tags, summary: 'End the chat as the visitor', security: [], headers: tokenHeaders, response: { 204: z.null() } } },
    async (req, reply) => {
      const { conv } = await visitorConversation(req.headers);
      await chat.leave(open(conv));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/chat/conversations',
    {
      config: { role: 'customer' },
      schema: { tags, summary: 'Start a chat as the logged-in customer (the widget then uses the returned token)', body: z.object(startFields).strict(), response: { 201: started } },
    },
    async (req, reply) => {
      const p = req.principal;
      if (!p.userId || p.role !== 'customer') throw badRequest('customer_session_required', 'Only a logged-in customer starts a chat this way');
      const user = (await ctx.users.get(p.tenantId, p.userId))!;
      const r = await chat.startConversation({ tenantId: p.tenantId, name: user.name, customerId: user.id, queueName: req.body.queue, subject: req.body.subject, message: req.body.message });
      return reply.code(201).send({ ...r, messages: await chat.repo.messages(r.conversation.id) });
    },
  );

  /** Staff of the tenant, or the customer whose chat it is; anything else reads as absent. */
  const load = async (p: Principal, id: string) => {
    const conv = await chat.repo.get(p.tenantId, id);
    if (!conv || (!isStaff(p) && conv.customerId !== p.userId)) throw notFound('Conversation');
    return conv;
  };

  app.get(
    '/api/chat/conversations/:id',
    { config: { role: 'customer' }, schema: { tags, summary: 'A conversation with its messages', params: idParam('chat'), response: { 200: z.object({ conversation: conversationSchema, messages: z.array(messageSchema) }) } } },
    async (req) => {
      const conv = await load(req.principal, req.params.id);
      return { conversation: conv, messages: await chat.repo.messages(conv.id) };
    },
  );

  app.post(
    '/api/chat/conversations/:id/messages',
    { config: { role: 'customer' }, schema: { tags, summary: 'Send a message (agent, or the customer of the chat)', params: idParam('chat'), body: z.object({ text }).strict(), response: { 201: messageSchema } } },
    async (req, reply) => {
      const p = req.principal;
      if (!p.userId) throw badRequest('user_session_required', 'Chat messages are sent by a person: use a user session');
      const conv = open(await load(p, req.params.id));
      const user = (await ctx.users.get(p.tenantId, p.userId))!;
      await assertHolder(routing, p, conv);
      return reply.code(201).send(await chat.post(conv, isStaff(p) ? 'agent' : 'customer', user.id, user.name, req.body.text));
    },
  );

  app.post(
    '/api/chat/conversations/:id/typing',
    { config: { role: 'customer' }, schema: { tags, summary: 'Say you are typing (or stopped)', params: idParam('chat'), body: z.object({ typing: z.boolean() }).strict(), response: { 204: z.null() } } },
    async (req, reply) => {
      const p = req.principal;
      if (!p.userId) throw badRequest('user_session_required', 'Typing is for a person: use a user session');
      const conv = open(await load(p, req.params.id));
      const user = (await ctx.users.get(p.tenantId, p.userId))!;
      await chat.typing(conv, isStaff(p) ? 'agent' : 'customer', user.name, req.body.typing);
      return reply.code(204).send(null);
    },
  );
}

/** An agent writes only in chats they hold; supervisors may step into any. */
async function assertHolder(routing: RoutingService, p: Principal, conv: Conversation): Promise<void> {
  if (!isStaff(p) || p.role !== 'agent' || !conv.itemId) return;
  const item = await routing.repo.item(conv.itemId);
  if (item?.agentId !== p.userId || item.state !== 'assigned') throw new CallsightError('chat_not_yours', 'Accept this chat before writing in it', { status: 409 });
}
