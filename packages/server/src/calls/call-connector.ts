import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { BodyPart } from '../sip/multipart.js';
import type { InviteOptions, SipEndpoint } from '../sip/ua/index.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import type { Call } from './call.js';
import type { CallHooks } from './call-hooks.js';
import { codecOf, type Destinations } from './destinations.js';
import type { Verb } from './flows/flow-schema.js';
import type { FlowHost } from './flows/flow-runner.js';
import { ForkLeg } from './fork-leg.js';
import type { Leg } from './leg.js';
import { endFailedCall, type LiveCalls } from './live-calls.js';
import type { MediaEngine } from './media-engine.js';
import type { DialVia } from './outbound-guard.js';
import type { DialActor } from './outbound-policy.js';
import { SipLeg } from './sip-leg.js';

export interface OriginateInput {
  to: string;
  /** Who asks for the call: the outbound policy decides whether they may reach `to`. */
  actor: DialActor;
  via: DialVia;
  from?: string;
  verbs?: Verb[];
  interactionId?: string;
  timeoutSeconds?: number;
  /** Who is calling, when the server knows (a signed-in app user): ringing apps show the name. */
  fromName?: string;
  /** Call reason for a branded call (one of the brand's reasons), shown on the callee's screen. */
  reason?: string;
  /** A campaign call: unanswered or rejected, the `from` number's outbound rules may text the callee a link. */
  campaign?: string;
  /** 'opus': bridged to an Opus browser call: apps answer in Opus, SIP phones in PCMU (transcoded). */
  codec?: MediaProfile;
  /** The inbound call this one rings a user for: hooks may carry its caller's identity onward. */
  forwarding?: Call;
  /** Headers the INVITE carries besides those of the outgoing-headers hooks (these win). */
  headers?: Record<string, string | string[]>;
  /** Body parts the INVITE carries beside its SDP (multipart/mixed), e.g. a location object. */
  bodyParts?: BodyPart[];
  /** The INVITE's Request-URI when it is not `to`: `to` (a SIP URI) is then the next hop it is sent to, e.g. a service URN routed to its PSAP. */
  requestUri?: string;
  /** A final 4xx from a SIP branch may be answered with a changed INVITE (see InviteOptions.retry). */
  retry?: InviteOptions['retry'];
}

export interface ConnectOptions {
  timeoutSeconds: number;
  callerId?: string;
  forwarding?: Call;
  onBridged?: () => Promise<void>;
  /** Default: the flow of `call` is dialling (see OutboundGuard.flowActor). */
  actor?: DialActor;
}

/**
 * Originates calls (every reachable contact and app rings at once) and connects
 * calls to each other: dial-and-bridge for flows, server-side blind transfer.
 */
export class CallConnector implements FlowHost {
  constructor(
    private readonly ctx: AppContext,
    private readonly deps: {
      endpoint: SipEndpoint;
      media: MediaEngine;
      live: LiveCalls;
      destinations: Destinations;
      hooks: CallHooks;
      runFlow: (call: Call, verbs: Verb[]) => Promise<void>;
    },
  ) {}

  /** Originates a call to `to` (every registered contact rings at once); `verbs` run once it is answered. */
  async originate(tenantId: string, input: OriginateInput): Promise<Call> {
    const outbound = this.ctx.services.get('outbound');
    const admission = await outbound.admit(tenantId, input.actor, input.to, input.via);
    // An Opus caller reaches SIP phones too: the bridge transcodes (Opus ↔ PCMU) on the server.
    const dest = await this.deps.destinations.resolve(tenantId, input.to);
    const callId = newId('call');
    const from = input.from ?? 'callsight';
    const outgoing = { tenantId, callId, interactionId: input.interactionId, from, to: input.to, reason: input.reason, forwarding: input.forwarding };
    const headers = { ...(await this.deps.hooks.runOutgoingHeaders(outgoing)), ...input.headers };
    const metadataToken = dest.appUsers.length ? await this.deps.hooks.runAppRingMetadata({ ...outgoing, headers }) : undefined;
    const appPhones = this.ctx.services.maybe('appPhones');
    const appBranches = dest.appUsers.flatMap((userId) => appPhones?.ring({ tenantId, userId, callId, from, fromName: input.fromName, metadataToken, codec: input.codec }) ?? []);
    if (dest.uris.length === 0 && appBranches.length === 0) {
      throw new CallsightError('target_unreachable', `${input.to} is not registered or reachable`, { status: 404 });
    }
    const branches = await Promise.all(
      dest.uris.map((target) =>
        SipLeg.outbound(
          (sdp) =>
            this.deps.endpoint.invite({
              target: input.requestUri ?? target.uri,
              from: { uri: from.startsWith('sip:') ? from : `sip:${from}@${this.ctx.config.sipPublicHost}` },
              sdp,
              bodyParts: input.bodyParts,
              retry: input.retry,
              proxy: input.requestUri ? (target.proxy ?? target.uri) : target.proxy,
              auth: target.auth,
              headers,
              timeoutMs: (input.timeoutSeconds ?? 30) * 1000,
            }),
          input.requestUri ?? target.uri,
          this.deps.media,
          this.ctx.log,
          { webrtc: target.webrtc, srtp: target.srtp },
        ),
      ),
    );
    const all: Leg[] = [...branches, ...appBranches];
    const leg = all.length === 1 ? all[0] : new ForkLeg(all, input.to);
    const call = await this.deps.live.create({ id: callId, tenantId, direction: 'outbound', from, to: input.to, flowId: null, interactionId: input.interactionId }, leg);
    admission.bind(call);
    if (input.verbs?.length) outbound.setFlowActor(call, input.actor);
    // SIP branches time out by themselves; ringing apps do not, so the call as a whole does.
    const unanswered = setTimeout(() => {
      if (call.state === 'ringing') call.hangup('no_answer').catch((err) => endFailedCall(this.ctx.log, call, err, 'ending an unanswered call failed'));
    }, (input.timeoutSeconds ?? 30) * 1000).unref();
    void call.whenEnded().then(() => clearTimeout(unanswered));
    this.deps.hooks.runOriginated(call, { campaign: input.campaign });
    if (input.verbs?.length) {
      const verbs = input.verbs;
      void leg.answeredOrEnded().then((answered) => {
        if (answered) void this.deps.runFlow(call, verbs);
      });
    }
    return call;
  }

  /**
   * FlowHost: dial a target and bridge it with `call` until either side hangs up.
   * The flow hands the caller over, so the bridge is reported as a transfer to `target`.
   */
  async dial(call: Call, target: string, opts: { timeoutSeconds: number; callerId?: string }): Promise<'completed' | 'failed'> {
    return this.connect(call, target, { ...opts, onBridged: () => call.transferred(target) });
  }

  /** Rings `target` for `call`, bridges them on answer and resolves when the bridge ends ('failed' if it never formed). */
  async connect(call: Call, target: string, opts: ConnectOptions): Promise<'completed' | 'failed'> {
    let other: Call;
    try {
      other = await this.originate(call.record.tenantId, {
        to: target,
        actor: opts.actor ?? this.ctx.services.get('outbound').flowActor(call),
        via: 'flow',
        from: opts.callerId ?? call.record.from,
        interactionId: call.record.interactionId,
        timeoutSeconds: opts.timeoutSeconds,
        forwarding: opts.forwarding,
        fromName: call.callerName ?? undefined,
        codec: codecOf(call),
      });
    } catch (err) {
      this.ctx.log.info({ err, target }, 'dial failed');
      return 'failed';
    }
    // Whatever happens on the way (the caller never ACKs our answer, hangs up mid-bridge), the dialled call never outlives this.
    let bridged = false;
    try {
      const answered = await Promise.race([other.leg.answeredOrEnded(), call.whenEnded().then(() => false)]);
      if (!answered || call.state === 'ended') return 'failed';
      if (call.state === 'ringing') await call.answer();
      // Answering may fail (no ACK from the caller within Timer H): the call has ended under us.
      if ((call.state as Call['state']) === 'ended') return 'failed';
      await call.bridge(other);
      bridged = true;
      await opts.onBridged?.();
      await Promise.race([call.whenEnded(), other.whenEnded()]);
      // One side hung up: the other call's flow continues (inbound) or it ends too (the dialled leg).
      return 'completed';
    } finally {
      await other.hangup(bridged ? 'bridge_ended' : 'cancelled').catch((err) => this.ctx.log.warn({ err, callId: other.id }, 'hanging up the dialled call failed'));
    }
  }

  /**
   * Blind transfer done by the server, so it works whatever the caller's phone
   * supports: the caller stays connected to us while the target rings, is bridged
   * on answer, and the party it was bridged to is released.
   */
  async transfer(call: Call, to: string, actor: DialActor): Promise<void> {
    const previous = call.bridgedTo;
    const other = await this.originate(call.record.tenantId, { to, actor, via: 'transfer', from: call.record.from, interactionId: call.record.interactionId, codec: codecOf(call) });
    void other.leg.answeredOrEnded().then((answered) => {
      if (!answered) return;
      void (async () => {
        if (call.state === 'ended') return other.hangup('cancelled');
        await call.bridge(other);
        await call.transferred(to);
        await previous?.hangup('transferred');
        await Promise.race([call.whenEnded(), other.whenEnded()]);
        await other.hangup('bridge_ended');
        await call.hangup('bridge_ended');
      })().catch((err) => this.ctx.log.warn({ err }, 'transfer failed'));
    });
  }
}
