import type { Call, Recording } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { conflict, notFound } from '../core/errors.js';
import { idParam, limitSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { sendFileWithRanges } from '../http/send-file-range.js';
import type { VerbRegistry } from './flows/verb-registry.js';
import { checkVerbUrls } from './flows/verb-urls.js';
import { callMatch } from './call-search.js';
import { actorOf } from './outbound-guard.js';
import type { Principal } from '../auth/principal.js';

const callSchema = wire<Call>()(z.object({
  id: z.string(),
  interactionId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  state: z.enum(['ringing', 'answered', 'ended']),
  flowId: z.string().nullable(),
  createdAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endCause: z.string().nullable(),
  live: z.boolean().describe('Held by this server process: actions are possible'),
  bridgedTo: z.string().nullable(),
}));

const recordingSchema = wire<Recording>()(z.object({
  id: z.string(),
  callId: z.string(),
  mode: z.enum(['received', 'mixed']),
  durationSeconds: z.number().nullable(),
  createdAt: z.number(),
}));

/** A page boundary is the last call id of the previous page. */
const callCursor = z.string().regex(/^call_[0-9a-z]{26}$/, 'must be a nextCursor from a previous page');

/** `verbs`: the server's verb registry, whose schema lists every verb registered by the features running. */
export async function callRoutes(app: HttpApp, ctx: AppContext, verbs: VerbRegistry): Promise<void> {
  const verbListSchema = verbs.list;
  const tel = () => ctx.services.get('telephony');

  const view = async (tenantId: string, id: string) => {
    const record = await tel().calls.get(tenantId, id);
    if (!record) throw notFound('Call');
    const live = tel().manager.get(tenantId, id);
    return { ...(live?.record ?? record), live: !!live, bridgedTo: live?.bridgedTo?.id ?? null };
  };

  app.post(
    '/api/calls',
    {
      config: { role: 'agent' },
      schema: {
        tags: ['calls'],
        summary: 'Originate a call to a SIP URI, a registered user (user:<id> or SIP account name) or a number via the tenant trunk',
        body: z
          .object({
            to: z.string().min(1).max(500),
            from: z.string().min(1).max(200).optional(),
            verbs: verbListSchema.optional().describe('Flow verbs to run once answered'),
            interactionId: z.string().max(64).optional(),
            timeoutSeconds: z.number().int().min(1).max(300).default(30),
            reason: z.string().min(1).max(200).optional().describe("Call reason on a branded call (one of the brand's reasons)"),
            campaign: z.string().min(1).max(100).optional().describe("A campaign call: if not answered or rejected, the calling number's outbound rules may text the callee a link"),
          })
          .strict(),
        response: { 201: callSchema },
      },
    },
    async (req, reply) => {
      if (req.body.verbs) await checkVerbUrls(ctx.egress, req.principal.tenantId, req.body.verbs);
      const call = await tel().manager.originate(req.principal.tenantId, { ...req.body, actor: actorOf(req.principal), via: 'rest' });
      return reply.code(201).send({ ...call.record, live: true, bridgedTo: null });
    },
  );

  app.get(
    '/api/calls',
    {
      config: { role: 'agent' },
      schema: {
        tags: ['calls'],
        summary: 'Search calls, newest first: by number, SIP address or user name, direction, outcome and start time; pages follow nextCursor',
        querystring: z
          .object({
            state: z.enum(['ringing', 'answered', 'ended']).optional(),
            interactionId: z.string().max(64).optional(),
            q: z.string().trim().min(1).max(100).optional().describe('Part of a number, SIP address or user name on either end (case-insensitive)'),
            direction: z.enum(['inbound', 'outbound']).optional(),
            outcome: z.enum(['answered', 'unanswered', 'in_progress']).optional().describe('answered: someone picked up; unanswered: ended without; in_progress: not ended'),
            since: z.coerce.number().int().min(0).optional().describe('Started at or after (epoch ms)'),
            until: z.coerce.number().int().min(0).optional().describe('Started before (epoch ms)'),
            cursor: callCursor.optional().describe("The previous page's nextCursor"),
            before: callCursor.optional().describe('Deprecated: the same as cursor'),
            limit: limitSchema,
          })
          .strict()
          .refine((q) => q.since === undefined || q.until === undefined || q.since < q.until, { message: 'since must be before until', path: ['until'] }),
        response: { 200: z.object({ items: z.array(callSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      const { q, cursor, before, limit, ...filters } = req.query;
      const match = q ? await callMatch(ctx, tenantId, q) : undefined;
      // One row more than asked says whether another page exists.
      const rows = await tel().calls.list({ tenantId, ...filters, match, before: cursor ?? before, limit: limit + 1 });
      const items = rows.slice(0, limit).map((r) => {
        const live = tel().manager.get(tenantId, r.id);
        return { ...(live?.record ?? r), live: !!live, bridgedTo: live?.bridgedTo?.id ?? null };
      });
      return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
    },
  );

  app.get(
    '/api/calls/:id',
    { config: { role: 'agent' }, schema: { tags: ['calls'], summary: 'Get a call', params: idParam('call'), response: { 200: callSchema } } },
    async (req) => view(req.principal.tenantId, req.params.id),
  );

  /** Actions on a live call; an ended call answers 409 call_ended, a call of another process 404. */
  const action = <B extends z.ZodTypeAny>(name: string, summary: string, body: B, run: (call: ReturnType<ReturnType<typeof tel>['manager']['require']>, body: z.output<B>, principal: Principal) => Promise<unknown>) => {
    app.post(
      `/api/calls/:id/${name}`,
      {
        config: { role: 'agent' },
        schema: { tags: ['calls'], summary, params: idParam('call'), body, response: { 200: callSchema } },
      },
      async (req) => {
        const { tenantId } = req.principal;
        const record = await tel().calls.get(tenantId, req.params.id);
        if (!record) throw notFound('Call');
        if (record.state === 'ended') throw conflict('call_ended', 'The call has ended');
        await run(tel().manager.require(tenantId, req.params.id), req.body as z.output<B>, req.principal);
        return view(tenantId, req.params.id);
      },
    );
  };

  const empty = z.object({}).strict().default({});
  action('answer', 'Answer a ringing inbound call', empty, (c) => c.answer());
  action('hangup', 'End the call', z.object({ cause: z.string().max(64).default('hangup') }).strict().default({ cause: 'hangup' }), (c, b) => c.hangup(b.cause));
  action('hold', 'Put the caller on hold (re-INVITE sendonly)', empty, (c) => c.hold());
  action('resume', 'Take the caller off hold', empty, (c) => c.resume());
  action('say', 'Speak text into the call (text-to-speech); returns when started', z.object({ text: z.string().min(1).max(2000), voice: z.string().max(40).optional() }).strict(), async (c, b) => {
    c.requirePcm();
    void c.say(b.text, b.voice).catch(() => {});
  });
  action('play', 'Play audio into the call (builtin:<name>, recording:<id> or an http(s) WAV URL)', z.object({ url: z.string().min(1).max(2000) }).strict(), async (c, b) => {
    c.requirePcm();
    if (/^https?:/i.test(b.url)) await ctx.egress.checkField(b.url, c.record.tenantId, 'body.url');
    void ctx.services
      .get('telephony')
      .manager.runVerbs(c, [{ verb: 'play', url: b.url, loop: 1 }])
      .catch(() => {});
  });
  action('dtmf', 'Send DTMF digits (RFC 4733)', z.object({ digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, 'must be DTMF digits') }).strict(), (c, b) => c.sendDtmf(b.digits));
  action('record', 'Start recording (mixed: both directions)', z.object({ mode: z.enum(['received', 'mixed']).default('mixed') }).strict().default({ mode: 'mixed' }), (c, b) => c.startRecording(b.mode));
  action('record/stop', 'Stop recording', empty, (c) => c.stopRecording());
  action('bridge', 'Connect this call with another live call', z.object({ callId: z.string().regex(/^call_[0-9a-z]{26}$/) }).strict(), async (c, b) => {
    const other = tel().manager.require(c.record.tenantId, b.callId);
    await c.bridge(other);
  });
  action('transfer', 'Transfer the caller: dials the target, bridges on answer, then releases the party it was bridged to', z.object({ to: z.string().min(1).max(500) }).strict(), (c, b, p) =>
    tel().manager.transfer(c, b.to, actorOf(p)),
  );

  app.get(
    '/api/calls/:id/recordings',
    {
      config: { role: 'agent' },
      schema: { tags: ['calls'], summary: 'Recordings of a call', params: idParam('call'), response: { 200: z.object({ items: z.array(recordingSchema) }) } },
    },
    async (req) => ({ items: await tel().calls.recordings(req.principal.tenantId, req.params.id) }),
  );

  app.get(
    '/api/recordings/:id',
    { config: { role: 'agent' }, schema: { tags: ['calls'], summary: 'Download a recording (audio/wav for G.711 calls, audio/ogg Opus for Opus calls; byte ranges supported)', params: idParam('rec') } },
    async (req, reply) => {
      const rec = await tel().calls.recording(req.principal.tenantId, req.params.id);
      if (!rec || rec.durationSeconds === null) throw notFound('Recording');
      return sendFileWithRanges(req, reply, rec.path, rec.path.endsWith('.opus') ? 'audio/ogg; codecs=opus' : 'audio/wav');
    },
  );

}
