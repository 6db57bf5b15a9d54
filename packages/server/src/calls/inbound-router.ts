import type { AppContext } from '../app-context.js';
import type { IncomingInvite } from '../sip/ua/index.js';
import type { Call } from './call.js';
import type { CallConnector } from './call-connector.js';
import type { CallHooks } from './call-hooks.js';
import type { FlowRepo } from './flows/flow-repo.js';
import type { Verb } from './flows/flow-schema.js';
import type { Leg } from './leg.js';
import type { Uri } from '../sip/uri.js';
import type { InboundTrust } from './inbound-trust.js';
import { mayCallInto } from './inbound-trust.js';
import { endFailedCall, type LiveCalls } from './live-calls.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo, PhoneNumber } from './number-repo.js';
import type { Admission } from './outbound-guard.js';
import type { DialActor } from './outbound-policy.js';
import type { SipAccount, SipAccountRepo } from './sip-account-repo.js';
import { SipLeg } from './sip-leg.js';

/** Routing to the user a number or account belongs to is not a dial anyone asked for. */
const ADMITTED: DialActor = { kind: 'admitted' };

/** How long an unanswered inbound call with nowhere to go may ring before 480. */
const PARK_TIMEOUT_MS = 60_000;

/**
 * Calls into callsight — INVITEs from phones and carriers, and calls placed by
 * browser apps — to a number (its flow runs), a user's number or SIP account
 * (their phones and apps ring), or somewhere else (dialled out).
 */
export class InboundRouter {
  constructor(
    private readonly ctx: AppContext,
    private readonly deps: {
      media: MediaEngine;
      trust: InboundTrust;
      numbers: NumberRepo;
      sipAccounts: SipAccountRepo;
      flows: FlowRepo;
      live: LiveCalls;
      connector: CallConnector;
      hooks: CallHooks;
      runFlow: (call: Call, verbs: Verb[]) => Promise<void>;
    },
  ) {}

  async onInvite(inv: IncomingInvite): Promise<void> {
    // Before any lookup: a stranger learns nothing about who exists here.
    const caller = await this.deps.trust.admit(inv);
    if (!caller) return;
    const msg = inv.message;
    const dialled = dialledOf(msg.uri);
    const from = msg.headers.get('from') ?? '';
    // A phone calls as its account, whatever its From says; only peers assert a caller ID.
    const fromUri = caller.kind === 'account' ? `sip:${caller.account.username}@${this.ctx.config.sipPublicHost}` : (/<([^>]+)>/.exec(from)?.[1] ?? from.split(';')[0].trim());
    const number = dialled ? await this.lookupNumber(dialled) : undefined;
    const account = !number && dialled ? await this.deps.sipAccounts.credentials(dialled) : undefined;
    const tenantId = number?.tenantId ?? account?.tenantId;
    // Another tenant's number is as unknown to this caller as one that does not exist.
    if (!tenantId || !mayCallInto(caller, tenantId)) {
      inv.reject(404);
      return;
    }
    // An offer nothing here can answer is refused now (488/606 with a Warning), before a call exists.
    const srtp = caller.kind === 'peer' ? caller.srtp : caller.account.srtp;
    const refusal = SipLeg.refuseOffer(inv, { webrtc: !(caller.kind === 'peer' && caller.tenantIds !== null), srtp }, this.ctx.config.sipPublicHost);
    if (refusal) return;
    const leg = await SipLeg.inbound(inv, this.deps.media, this.ctx.log, fromUri, srtp);
    const call = await this.deps.live.create({ tenantId, direction: 'inbound', from: fromUri, to: dialled, flowId: number?.flowId ?? null }, leg);
    try {
      // STIR/SHAKEN, PAI and a display name come from carriers: from a phone they are not evidence of anything
      // (a replayed Identity header or a brand's name in From would brand the call). Its Privacy request stands.
      const fromPeer = caller.kind === 'peer';
      const headers = (name: string): string[] => {
        if (fromPeer || name === 'privacy') return msg.headers.getAll(name);
        return name === 'from' ? [`<${fromUri}>`] : [];
      };
      // Verification happens before anything rings, so what rings can show its result.
      await this.deps.hooks.runInbound({ call, dialled, fromPeer, headers });
      await this.route(call, { number, account });
    } catch (err) {
      // The call exists now: end it (the caller gets 500), or it would ring here forever.
      endFailedCall(this.ctx.log, call, err, 'routing an inbound call failed');
    }
  }

  /** A browser app dials `to` (a number, SIP account or SIP URI) over its WebRTC leg. */
  async dialFromApp(tenantId: string, leg: Leg & { callId: string }, from: string, to: string, admission: Admission, callerName?: string): Promise<Call> {
    const number = await this.deps.numbers.lookup(to);
    const account = !number ? await this.deps.sipAccounts.credentials(to) : undefined;
    const call = await this.deps.live.create({ id: leg.callId, tenantId, direction: 'inbound', from, to, flowId: number?.flowId ?? null }, leg);
    admission.bind(call);
    call.callerName = callerName ?? null;
    // Route after the app has the call id (its `call.dialing` reply), or it would miss the first state pushes.
    setImmediate(() => {
      const routed =
        number?.tenantId === tenantId || account?.tenantId === tenantId
          ? this.route(call, { number: number ?? undefined, account })
          : // Anything else is dialled out: a SIP URI or a number through the tenant's trunk.
            (async () => {
              call.leg.ring();
              if ((await this.deps.connector.connect(call, to, { timeoutSeconds: 30, actor: ADMITTED })) === 'failed' && call.state !== 'ended') await call.hangup('unavailable');
            })();
      routed.catch((err) => endFailedCall(this.ctx.log, call, err, 'routing a browser call failed'));
    });
    return call;
  }

  /**
   * A call into callsight (from a phone, a carrier or a browser) to `call.record.to`:
   * a number's flow runs; a number or account of a user rings that user's phones and
   * apps; a number with neither rings until the API answers it.
   */
  private async route(call: Call, target: { number?: PhoneNumber; account?: SipAccount }): Promise<void> {
    const { number, account } = target;
    if (number?.flowId) {
      const flow = await this.deps.flows.get(call.record.tenantId, number.flowId);
      // Features may put verbs in front of the number's flow (deflection rules put a `deflect`).
      const before = await this.deps.hooks.runBeforeFlow(call, number);
      void this.deps.runFlow(call, [...before, ...(flow?.verbs ?? [{ verb: 'hangup' }])]);
      return;
    }
    const userTarget = number?.userId ? `user:${number.userId}` : account ? account.username : null;
    call.leg.ring();
    if (userTarget) {
      // No flow to go on with: when the person it rang hangs up, the caller's call ends too.
      this.deps.connector
        .connect(call, userTarget, { timeoutSeconds: 30, forwarding: call, actor: ADMITTED })
        .then(async (result) => {
          if (call.state !== 'ended') await call.hangup(result === 'failed' ? 'unavailable' : 'bridge_ended');
        })
        .catch((err) => endFailedCall(this.ctx.log, call, err, 'ringing the user failed'));
      return;
    }
    const parked = setTimeout(() => {
      if (call.state === 'ringing') call.hangup('unavailable').catch((err) => endFailedCall(this.ctx.log, call, err, 'ending a parked call failed'));
    }, PARK_TIMEOUT_MS).unref();
    void call.whenEnded().then(() => clearTimeout(parked));
  }

  /** A service URN with no number of its own reaches its parent service's (RFC 5031 4.2: `…sos.ecall.automatic` → `…sos.ecall` → `…sos`). */
  private async lookupNumber(dialled: string) {
    for (let d = dialled; ; d = d.slice(0, d.lastIndexOf('.'))) {
      const n = await this.deps.numbers.lookup(d);
      if (n || !/^urn:service:[^.]+\./.test(d)) return n;
    }
  }
}

/**
 * What an INVITE dials: the user part of a SIP URI, or a service URN as a whole
 * (RFC 5031: `urn:service:sos` — a PSAP is the number of that name; the demo's is `urn:service:test.sos`).
 */
function dialledOf(uri: Uri): string {
  if (uri.kind === 'absolute') return uri.scheme === 'urn' && /^service:/i.test(uri.opaque) ? `urn:${uri.opaque.toLowerCase()}` : '';
  return 'user' in uri && uri.user ? decodeURIComponent(uri.user) : '';
}
