import { z } from 'zod';
import { REPLAY_ACCESS, type ConversationInfo, type ConversationJoin, type ConversationPerson, type ConversationRecording } from '@callsight/protocol';
import { idParam } from '../../http/common-schemas.js';
import type { HttpApp } from '../../http/http-types.js';
import { sendFileWithRanges } from '../../http/send-file-range.js';
import { wire } from '../../http/wire-schema.js';
import type { ConversationService } from './conversation-service.js';

const role = z.enum(['host', 'cohost', 'speaker', 'listener']);
export const conversationSchema = wire<ConversationInfo>()(z.object({
  id: z.string(),
  roomId: z.string(),
  topic: z.string(),
  status: z.enum(['inviting', 'live', 'ended']),
  createdBy: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  members: z.array(z.object({ userId: z.string(), name: z.string(), role, invite: z.enum(['invited', 'accepted', 'declined']).nullable(), present: z.boolean(), handRaisedAt: z.number().nullable() })),
  speakers: z.array(z.object({ participantId: z.string(), name: z.string(), userId: z.string().nullable() })),
  hands: z.array(z.object({ userId: z.string(), name: z.string(), at: z.number() })),
  listenerCount: z.number(),
  durationSeconds: z.number(),
  recording: wire<ConversationRecording>()(z.object({
    state: z.enum(['recording', 'ready']),
    access: z.enum(REPLAY_ACCESS as [ConversationRecording['access'], ...ConversationRecording['access'][]]),
    startedAt: z.number(),
    durationSeconds: z.number().nullable(),
    speakers: z.array(z.object({ name: z.string(), atSeconds: z.number() })),
    url: z.string().nullable(),
    expiresAt: z.number(),
  })).nullable(),
  dialIn: z.object({ number: z.string().nullable(), code: z.string() }).nullable(),
}));
const joinSchema = wire<ConversationJoin>()(z.object({ conversation: conversationSchema, token: z.string(), roomRole: z.enum(['host', 'speaker', 'listener']) }));
const delivery = z.record(z.string(), z.enum(['ring', 'sms', 'none'])).describe('userId → how the invite reached them: ringing in an open app, an SMS link, or neither');
const personSchema = wire<ConversationPerson>()(z.object({ id: z.string(), name: z.string(), online: z.boolean() }));
const userId = z.string().min(1).max(64);
const pid = z.string().regex(/^ptc_[0-9a-z]{26}$/, 'must be a ptc_… id');
const params = idParam('conv');
const target = z.object({ participantId: pid }).strict();
const tags = ['conversations'];

/** Conversations API: any signed-in user of the tenant may start, join, listen and raise a hand; hosts moderate. */
export function conversationRoutes(service: ConversationService) {
  return async function routes(app: HttpApp): Promise<void> {
    app.post(
      '/api/conversations',
      {
        schema: {
          tags,
          summary: 'Start a conversation with one or more people: they ring (or get an SMS link); it goes live when one accepts. Returns your host join token',
          body: z.object({ topic: z.string().trim().min(1).max(120), invite: z.array(userId).min(1).max(20) }).strict(),
          response: { 201: joinSchema.extend({ deliveries: delivery }) },
        },
      },
      async (req, reply) => {
        const { join, deliveries } = await service.start(req.principal, req.body);
        return reply.code(201).send({ ...join, deliveries });
      },
    );

    app.get(
      '/api/conversations',
      {
        schema: {
          tags,
          summary: 'The feed: live conversations you may listen to (and ones inviting you), busiest first; `topic` filters',
          querystring: z.object({ topic: z.string().trim().max(120).optional() }).strict(),
          response: { 200: z.object({ items: z.array(conversationSchema) }) },
        },
      },
      async (req) => ({ items: await service.feed(req.principal, { topic: req.query.topic || undefined }) }),
    );

    app.get(
      '/api/conversations/replays',
      { schema: { tags, summary: 'Replays: ended conversations that were recorded and that you may hear (30 days), newest first', response: { 200: z.object({ items: z.array(conversationSchema) }) } } },
      async (req) => ({ items: await service.replays(req.principal) }),
    );

    app.get(
      '/api/conversations/:id/replay',
      { schema: { tags, summary: 'The replay: the speakers’ mix as audio/ogg Opus (byte ranges, so players can seek)', params } },
      async (req, reply) => sendFileWithRanges(req, reply, await service.replayFile(req.principal, req.params.id), 'audio/ogg; codecs=opus'),
    );

    app.post(
      '/api/conversations/:id/recording',
      {
        schema: {
          tags,
          summary: 'Record the conversation (hosts and co-hosts; once): everyone in it sees REC; `access` says who may replay it',
          params,
          body: z.object({ access: z.enum(REPLAY_ACCESS as ['everyone', 'participants']).default('everyone') }).strict(),
          response: { 201: conversationSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await service.startRecording(req.principal, req.params.id, req.body.access)),
    );

    app.post('/api/conversations/:id/recording/stop', { schema: { tags, summary: 'Stop recording before the end (hosts and co-hosts); the replay is ready at once', params, response: { 200: conversationSchema } } }, async (req) =>
      service.stopRecording(req.principal, req.params.id),
    );

    app.get(
      '/api/conversations/people',
      { schema: { tags, summary: 'People you can start a conversation with, and whether their app is open', response: { 200: z.object({ items: z.array(personSchema) }) } } },
      async (req) => ({ items: await service.people(req.principal) }),
    );

    app.get('/api/conversations/:id', { schema: { tags, summary: 'One conversation: who is on stage, hands, listeners, duration', params, response: { 200: conversationSchema } } }, async (req) =>
      service.get(req.principal, req.params.id),
    );

    app.post(
      '/api/conversations/:id/invites',
      { schema: { tags, summary: 'Invite more people (anyone on stage may)', params, body: z.object({ invite: z.array(userId).min(1).max(20) }).strict(), response: { 200: z.object({ deliveries: delivery }) } } },
      async (req) => ({ deliveries: await service.invite(req.principal, req.params.id, req.body.invite) }),
    );

    app.post('/api/conversations/:id/accept', { schema: { tags, summary: 'Accept an invite: the conversation is live; returns your join token (on stage)', params, response: { 200: joinSchema } } }, async (req) =>
      service.accept(req.principal, req.params.id),
    );

    app.post('/api/conversations/:id/decline', { schema: { tags, summary: 'Decline an invite', params, response: { 204: z.null() } } }, async (req, reply) => {
      await service.decline(req.principal, req.params.id);
      return reply.code(204).send(null);
    });

    app.post('/api/conversations/:id/join', { schema: { tags, summary: 'Join with your role (a listener from the feed); removed people cannot', params, response: { 200: joinSchema } } }, async (req) =>
      service.join(req.principal, req.params.id),
    );

    app.post(
      '/api/conversations/:id/hand',
      { schema: { tags, summary: 'Raise or lower your hand (listeners; 5 a minute)', params, body: z.object({ raised: z.boolean() }).strict(), response: { 200: conversationSchema } } },
      async (req) => service.raiseHand(req.principal, req.params.id, req.body.raised),
    );

    app.post(
      '/api/conversations/:id/promote',
      {
        schema: {
          tags,
          summary: 'Bring a participant up to speak (hosts and speakers) or make a speaker co-host (hosts); they are heard without reconnecting',
          params,
          body: z.object({ participantId: pid, role: z.enum(['speaker', 'cohost']).default('speaker') }).strict(),
          response: { 200: conversationSchema },
        },
      },
      async (req) => service.promote(req.principal, req.params.id, req.body.participantId, req.body.role),
    );

    app.post('/api/conversations/:id/demote', { schema: { tags, summary: 'Back to the audience: step down yourself, or (hosts) move someone off stage', params, body: target, response: { 200: conversationSchema } } }, async (req) =>
      service.demote(req.principal, req.params.id, req.body.participantId),
    );

    app.post('/api/conversations/:id/host', { schema: { tags, summary: 'Hand over hosting (the host); you stay on as co-host', params, body: target, response: { 200: conversationSchema } } }, async (req) =>
      service.handOver(req.principal, req.params.id, req.body.participantId),
    );

    app.post(
      '/api/conversations/:id/mute',
      { schema: { tags, summary: 'Mute or unmute a participant (hosts; anyone for themself)', params, body: z.object({ participantId: pid, muted: z.boolean() }).strict(), response: { 200: conversationSchema } } },
      async (req) => service.mute(req.principal, req.params.id, req.body.participantId, req.body.muted),
    );

    app.post('/api/conversations/:id/remove', { schema: { tags, summary: 'Remove a participant (hosts): they leave and cannot rejoin', params, body: target, response: { 200: conversationSchema } } }, async (req) =>
      service.remove(req.principal, req.params.id, req.body.participantId),
    );

    app.post(
      '/api/conversations/:id/reports',
      { schema: { tags, summary: 'Report a participant to the organisation’s moderators', params, body: z.object({ participantId: pid, reason: z.string().trim().min(1).max(500) }).strict(), response: { 201: z.object({ reportId: z.string() }) } } },
      async (req, reply) => reply.code(201).send(await service.report(req.principal, req.params.id, req.body.participantId, req.body.reason)),
    );

    app.put(
      '/api/conversations/blocks/:userId',
      {
        schema: {
          tags,
          summary: 'Block (or unblock) a person: they can no longer invite you to conversations',
          params: z.object({ userId }).strict(),
          body: z.object({ blocked: z.boolean() }).strict(),
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await service.block(req.principal, req.params.userId, req.body.blocked);
        return reply.code(204).send(null);
      },
    );
  };
}
