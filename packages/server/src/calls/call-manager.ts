import type { AppContext } from '../app-context.js';
import { CallsightError, conflict, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { IncomingInvite, SipEndpoint } from '../sip/ua/index.js';
import { Call } from './call.js';
import type { CallRepo } from './call-repo.js';
import type { FlowRepo } from './flows/flow-repo.js';
import { FlowRunner, type FlowHost } from './flows/flow-runner.js';
import type { DeflectVerb, RoomVerb, Verb } from './flows/flow-schema.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo, PhoneNumber } from './number-repo.js';
import type { RegistrationLookup } from './registration-repo.js';
import type { SipAccount, SipAccountRepo } from './sip-account-repo.js';
import { applyVerstat, brandCallInfo, withDisplayName } from '../branding/sip-verstat.js';
import type { VerificationResult } from '../branding/verifier.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import { BrowserLeg } from './browser-leg.js';
import { ForkLeg } from './fork-leg.js';
import type { Leg } from './leg.js';
import { SipLeg } from './sip-leg.js';
import type { TrunkRepo } from './trunk-repo.js';

export interface TelephonyDeps {
  endpoint: SipEndpoint;
  media: MediaEngine;
  calls: CallRepo;
  numbers: NumberRepo;
  flows: FlowRepo;
  sipAccounts: SipAccountRepo;
  registrations: RegistrationLookup;
  trunks: TrunkRepo;
}

/** Where a dial target resolves to: SIP URIs to INVITE and app users to ring, all in parallel. */
interface Destination {
  uris: { uri: string; proxy?: string; auth?: { username: string; password: string } }[];
  appUsers: string[];
}

/** Rings a user's browser apps (the /phone or /agent softphone); null when none is connected. */
export interface AppPhones {
  /** `codec` 'opus': the caller is a browser too, so the answering app's leg is Opus (relayed untouched). */
  ring(input: { tenantId: string; userId: string; callId: string; from: string; metadataToken?: string; codec?: MediaProfile }): Leg | null;
}

/** How long an unanswered inbound call with nowhere to go may ring before 480. */
const PARK_TIMEOUT_MS = 60_000;

/**
 * Owns this process's live calls: routes inbound INVITEs (number → flow or
 * user), originates outbound calls, and runs flows. Flows reach back here to
 * dial and queue (it is their `FlowHost`).
 */
export class CallManager implements FlowHost {
  private readonly live = new Map<string, Call>();
  readonly runner: FlowRunner;
  /** Set by the browser-phone feature when WebRTC is running. */
  appPhones: AppPhones | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: TelephonyDeps,
  ) {
    this.runner = new FlowRunner({ flows: deps.flows, calls: deps.calls, host: this, log: ctx.log.child({ component: 'flows' }) });
  }

  start(): void {
    this.deps.endpoint.on('invite', (inv) => {
      this.onInvite(inv).catch((err) => {
        this.ctx.log.error({ err }, 'inbound call failed');
        try {
          inv.reject(500);
        } catch {
          /* already answered or gone */
        }
      });
    });
  }

  get(tenantId: string, callId: string): Call | undefined {
    const call = this.live.get(callId);
    return call && call.record.tenantId === tenantId ? call : undefined;
  }

  /** A live call of this process, or 404 (ended calls are history: read them from the store). */
  require(tenantId: string, callId: string): Call {
    const call = this.get(tenantId, callId);
    if (!call) throw notFound('Live call');
    return call;
  }

  get size(): number {
    return this.live.size;
  }

  private async onInvite(inv: IncomingInvite): Promise<void> {
    const msg = inv.message;
    const uri = msg.uri as { scheme?: string; user?: string };
    const dialled = uri.user ? decodeURIComponent(uri.user) : '';
    const from = msg.headers.get('from') ?? '';
    const fromUri = /<([^>]+)>/.exec(from)?.[1] ?? from.split(';')[0].trim();
    const number = dialled ? await this.deps.numbers.lookup(dialled) : undefined;
    const account = !number && dialled ? await this.deps.sipAccounts.credentials(dialled) : undefined;
    const tenantId = number?.tenantId ?? account?.tenantId;
    if (!tenantId) {
      inv.reject(404);
      return;
    }
    const leg = await SipLeg.inbound(inv, this.deps.media, this.ctx.log, fromUri);
    const call = await this.createCall({ tenantId, direction: 'inbound', from: fromUri, to: dialled, flowId: number?.flowId ?? null }, leg);
    call.verification = await this.verifyCaller(tenantId, call, msg.headers.getAll('identity'), dialled);
    await this.routeInbound(call, { number, account });
  }

  /**
   * A call into callsight (from a phone, a carrier or a browser) to `call.record.to`:
   * a number's flow runs; a number or account of a user rings that user's phones and
   * apps; a number with neither rings until the API answers it.
   */
  private async routeInbound(call: Call, target: { number?: PhoneNumber; account?: SipAccount }): Promise<void> {
    const { number, account } = target;
    if (number?.flowId) {
      const flow = await this.deps.flows.get(call.record.tenantId, number.flowId);
      // The number's deflection rules may put a `deflect` in front of its flow.
      const before = (await this.ctx.services.maybe('deflection')?.verbsBefore(call, number)) ?? [];
      void this.runFlow(call, [...before, ...(flow?.verbs ?? [{ verb: 'hangup' }])]);
      return;
    }
    const userTarget = number?.userId ? `user:${number.userId}` : account ? account.username : null;
    call.leg.ring();
    if (userTarget) {
      const metadataToken = await this.appMetadata(call);
      void this.connectTo(call, userTarget, { timeoutSeconds: 30, headers: this.brandHeaders(call), metadataToken }).then(async (result) => {
        if (result === 'failed' && call.state !== 'ended') await call.hangup('unavailable');
      });
      return;
    }
    setTimeout(() => {
      if (call.state === 'ringing') void call.hangup('unavailable');
    }, PARK_TIMEOUT_MS).unref();
  }

  /**
   * The codec of an app's call to `to`, decided before its media is negotiated: Opus when
   * `to` reaches app users only (browser ↔ browser, relayed untouched); PCMU when anything
   * may touch the audio on the server or a SIP phone may answer — a number with a flow
   * (prompts, recording, queues), a registered SIP contact of the user, anything dialled out.
   */
  async appCallCodec(tenantId: string, to: string): Promise<MediaProfile> {
    const number = await this.deps.numbers.lookup(to);
    if (number?.tenantId === tenantId && number.flowId) return 'pcmu';
    const dest = await this.resolve(tenantId, to);
    return dest.appUsers.length > 0 && dest.uris.length === 0 ? 'opus' : 'pcmu';
  }

  /** A browser app dials `to` (a number, SIP account or SIP URI) over its WebRTC leg. */
  async dialFromApp(tenantId: string, leg: Leg & { callId: string }, from: string, to: string): Promise<Call> {
    const number = await this.deps.numbers.lookup(to);
    const account = !number ? await this.deps.sipAccounts.credentials(to) : undefined;
    const call = await this.createCall({ id: leg.callId, tenantId, direction: 'inbound', from, to, flowId: number?.flowId ?? null }, leg);
    // Route after the app has the call id (its `call.dialing` reply), or it would miss the first state pushes.
    setImmediate(() => {
      const routed =
        number?.tenantId === tenantId || account?.tenantId === tenantId
          ? this.routeInbound(call, { number: number ?? undefined, account })
          : // Anything else is dialled out: a SIP URI or a number through the tenant's trunk.
            (async () => {
              call.leg.ring();
              if ((await this.connectTo(call, to, { timeoutSeconds: 30 })) === 'failed' && call.state !== 'ended') await call.hangup('unavailable');
            })();
      routed.catch((err) => this.ctx.log.warn({ err, callId: call.id }, 'routing a browser call failed'));
    });
    return call;
  }

  private async createCall(
    input: { id?: string; tenantId: string; direction: 'inbound' | 'outbound'; from: string; to: string; flowId: string | null; interactionId?: string },
    leg: Leg,
  ): Promise<Call> {
    const interactionId =
      input.interactionId ??
      (
        await this.ctx.interactions.create({
          tenantId: input.tenantId,
          channel: 'voice',
          customerId: await this.customerOf(input.tenantId, [input.from, input.to]),
          subject: `Call ${input.from} → ${input.to}`,
        })
      ).id;
    const record = await this.deps.calls.create({
      id: input.id ?? newId('call'),
      tenantId: input.tenantId,
      interactionId,
      direction: input.direction,
      from: input.from,
      to: input.to,
      flowId: input.flowId,
    });
    const call = new Call(record, leg, this.ctx, this.deps.calls, this.deps.media, (c) => this.live.delete(c.id));
    this.live.set(call.id, call);
    await this.ctx.bus.publish({
      tenantId: input.tenantId,
      type: 'call.created',
      interactionId,
      data: { callId: call.id, direction: input.direction, from: input.from, to: input.to },
    });
    await call.catchUp();
    return call;
  }

  /**
   * The customer a new call is with (a customer's own number or app account at either
   * end), so its interaction has them and cards pushed during the call reach their app.
   */
  private async customerOf(tenantId: string, parties: string[]): Promise<string | null> {
    for (const party of parties) {
      const userId = party.startsWith('user:') ? party.slice(5) : (await this.deps.numbers.lookup(telephoneNumberOf(party) ?? party))?.userId;
      if (!userId) continue;
      const user = await this.ctx.users.get(tenantId, userId);
      if (user?.role === 'customer') return user.id;
    }
    return null;
  }

  async runFlow(call: Call, verbs: Verb[]): Promise<void> {
    try {
      const outcome = await this.runner.run(call, verbs);
      // A flow that runs out of verbs ends the call, as in TwiML.
      if (outcome === 'done' && !call.bridgedTo) await call.hangup('flow_completed');
    } catch (err) {
      this.ctx.log.warn({ err, callId: call.id }, 'flow failed');
      await call.hangup('flow_failed');
    }
  }

  /** Originates a call to `to` (every registered contact rings at once); `verbs` run once it is answered. */
  async originate(
    tenantId: string,
    input: {
      to: string;
      from?: string;
      verbs?: Verb[];
      interactionId?: string;
      timeoutSeconds?: number;
      headers?: Record<string, string | string[]>;
      /** Signed call metadata for ringing apps (see `appMetadata`). */
      metadataToken?: string;
      /** Call reason for a branded call (one of the brand's reasons), shown on the callee's screen. */
      reason?: string;
      /** A campaign call: unanswered or rejected, the `from` number's outbound rules may text the callee a link. */
      campaign?: string;
      /** 'opus': bridged to an Opus browser call, so only apps ring (a SIP phone would need PCMU). */
      codec?: MediaProfile;
    },
  ): Promise<Call> {
    const found = await this.resolve(tenantId, input.to);
    if (input.codec === 'opus' && found.appUsers.length === 0 && found.uris.length > 0) {
      throw conflict('call_media_opus', `${input.to} is reached over SIP, which needs PCMU; this browser-to-browser call carries Opus`);
    }
    // A SIP contact registered after the caller's codec was chosen must not join: it could not be bridged.
    const dest = input.codec === 'opus' ? { uris: [], appUsers: found.appUsers } : found;
    const callId = newId('call');
    const from = input.from ?? 'callsight';
    const identity = await this.identityFor(tenantId, from, input.to, input.reason);
    const headers = { ...input.headers, ...identity };
    const metadataToken =
      input.metadataToken ??
      (dest.appUsers.length && identity.Identity
        ? await this.ownCallMetadata(tenantId, { callId, interactionId: input.interactionId, reason: input.reason }, from, input.to, identity.Identity)
        : undefined);
    const appBranches = dest.appUsers.flatMap((userId) => this.appPhones?.ring({ tenantId, userId, callId, from, metadataToken, codec: input.codec }) ?? []);
    if (dest.uris.length === 0 && appBranches.length === 0) {
      throw new CallsightError('target_unreachable', `${input.to} is not registered or reachable`, { status: 404 });
    }
    const branches = await Promise.all(
      dest.uris.map((target) =>
        SipLeg.outbound(
          (sdp) =>
            this.deps.endpoint.invite({
              target: target.uri,
              from: { uri: from.startsWith('sip:') ? from : `sip:${from}@${this.ctx.config.sipPublicHost}` },
              sdp,
              proxy: target.proxy,
              auth: target.auth,
              headers,
              timeoutMs: (input.timeoutSeconds ?? 30) * 1000,
            }),
          target.uri,
          this.deps.media,
          this.ctx.log,
        ),
      ),
    );
    const all: Leg[] = [...branches, ...appBranches];
    const leg = all.length === 1 ? all[0] : new ForkLeg(all, input.to);
    const call = await this.createCall({ id: callId, tenantId, direction: 'outbound', from, to: input.to, flowId: null, interactionId: input.interactionId }, leg);
    // SIP branches time out by themselves; ringing apps do not, so the call as a whole does.
    const unanswered = setTimeout(() => call.state === 'ringing' && void call.hangup('no_answer'), (input.timeoutSeconds ?? 30) * 1000).unref();
    void call.whenEnded().then(() => clearTimeout(unanswered));
    if (input.campaign) this.ctx.services.maybe('deflection')?.watchCampaignCall(call, input.campaign);
    if (input.verbs?.length) {
      const verbs = input.verbs;
      void leg.answeredOrEnded().then((answered) => {
        if (answered) void this.runFlow(call, verbs);
      });
    }
    return call;
  }

  /** FlowHost: the deflection feature offers the caller web chat by SMS link (absent: the flow goes on). */
  async deflect(call: Call, verb: DeflectVerb): Promise<'deflected' | 'resumed'> {
    const deflection = this.ctx.services.maybe('deflection');
    if (!deflection) throw new Error('deflection is not running');
    return deflection.deflect(call, verb);
  }

  /** FlowHost: the call becomes an audio participant of a room (the rooms feature mixes it in). */
  async joinRoom(call: Call, verb: RoomVerb): Promise<void> {
    await this.ctx.services.get('rooms').join(call, verb);
  }

  /**
   * FlowHost: dial a target and bridge it with `call` until either side hangs up.
   * The flow hands the caller over, so the bridge is reported as a transfer to `target`.
   */
  async dial(call: Call, target: string, opts: { timeoutSeconds: number; callerId?: string }): Promise<'completed' | 'failed'> {
    return this.connectTo(call, target, { ...opts, onBridged: () => call.transferred(target) });
  }

  private async connectTo(
    call: Call,
    target: string,
    opts: {
      timeoutSeconds: number;
      callerId?: string;
      headers?: Record<string, string | string[]>;
      metadataToken?: string;
      onBridged?: () => Promise<void>;
    },
  ): Promise<'completed' | 'failed'> {
    let other: Call;
    try {
      other = await this.originate(call.record.tenantId, {
        to: target,
        from: opts.callerId ?? call.record.from,
        interactionId: call.record.interactionId,
        timeoutSeconds: opts.timeoutSeconds,
        headers: opts.headers,
        metadataToken: opts.metadataToken,
        codec: codecOf(call),
      });
    } catch (err) {
      this.ctx.log.info({ err, target }, 'dial failed');
      return 'failed';
    }
    const answered = await Promise.race([other.leg.answeredOrEnded(), call.whenEnded().then(() => false)]);
    if (!answered || call.state === 'ended') {
      await other.hangup('cancelled');
      return 'failed';
    }
    if (call.state === 'ringing') await call.answer();
    await call.bridge(other);
    await opts.onBridged?.();
    await Promise.race([call.whenEnded(), other.whenEnded()]);
    // One side hung up: the other call's flow continues (inbound) or it ends too (the dialled leg).
    await other.hangup('bridge_ended');
    return 'completed';
  }

  /**
   * Blind transfer done by the server, so it works whatever the caller's phone
   * supports: the caller stays connected to us while the target rings, is bridged
   * on answer, and the party it was bridged to is released.
   */
  async transfer(call: Call, to: string): Promise<void> {
    const previous = call.bridgedTo;
    const other = await this.originate(call.record.tenantId, { to, from: call.record.from, interactionId: call.record.interactionId, codec: codecOf(call) });
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

  /**
   * FlowHost: hands the caller to routing and waits, with hold audio, until an
   * agent is assigned; then rings the agent's phones and bridges. The routing item
   * completes when the call ends, or is cancelled if the caller leaves the queue.
   * Without routing the caller hears why and the flow continues.
   */
  async enqueue(call: Call, opts: { queue: string; skills?: string[]; priority?: number }): Promise<'completed' | 'failed'> {
    const routing = this.ctx.services.maybe('routing');
    if (!routing) {
      await call.say('Sorry, no agent can take your call right now.');
      return 'failed';
    }
    if (call.state === 'ringing') await call.answer();
    const itemRef = { id: '' };
    const assigned = new Promise<string>((resolve) => {
      const sub = this.ctx.bus.subscribe({ types: ['routing.assigned'] }, (e) => {
        const data = e.data as { itemId: string; agentId: string };
        if (data.itemId === itemRef.id) {
          void sub.then((s) => s.unsubscribe());
          resolve(data.agentId);
        }
      });
      void call.whenEnded().then(() => sub.then((s) => s.unsubscribe()));
    });
    const { itemId } = await routing.enqueue({
      tenantId: call.record.tenantId,
      interactionId: call.record.interactionId,
      channel: 'voice',
      queueName: opts.queue,
      priority: opts.priority,
      context: { callId: call.id, callerNumber: call.record.from, subject: `Call from ${call.record.from}` },
    });
    itemRef.id = itemId;
    const hold = this.holdAudio(call);
    const agentId = await Promise.race([assigned, call.whenEnded().then(() => null)]);
    hold.stop();
    if (!agentId) {
      await routing.cancel(itemId, 'caller_hung_up').catch(() => {});
      return 'failed';
    }
    const result = await this.connectTo(call, `user:${agentId}`, { timeoutSeconds: 30 });
    await routing.complete(itemId).catch((err) => this.ctx.log.warn({ err, itemId }, 'completing the routing item failed'));
    return result;
  }

  /** Music-on-hold stand-in: a spoken "please hold" every 15 s until stopped. */
  private holdAudio(call: Call): { stop(): void } {
    let stopped = false;
    const waiting = () => !stopped && call.state !== 'ended';
    void (async () => {
      while (waiting()) {
        await call.say('Please hold, an agent will be with you shortly.').catch(() => {});
        for (let i = 0; i < 30 && waiting(); i++) await new Promise((r) => setTimeout(r, 500));
      }
    })();
    return {
      stop: () => {
        stopped = true;
        call.stopPlayback();
      },
    };
  }

  /**
   * STIR/SHAKEN verification of an inbound call (RFC 8224), before anything rings.
   * A call without Identity is No-TN-Validation; a failed check never shows brand data.
   */
  private async verifyCaller(tenantId: string, call: Call, identity: string[], dialled: string): Promise<VerificationResult | null> {
    const branding = this.ctx.services.maybe('branding');
    if (!branding) return null;
    const fromTn = telephoneNumberOf(call.record.from);
    if (identity.length === 0 || !fromTn) return { verstat: 'No-TN-Validation', reasons: [], codes: [] };
    try {
      return await branding.verifyIncoming({ tenantId, interactionId: call.record.interactionId, identityHeaders: identity, from: fromTn, to: dialled });
    } catch (err) {
      this.ctx.log.warn({ err, callId: call.id }, 'caller verification failed');
      return { verstat: 'TN-Validation-Failed', reasons: ['verification_error'], codes: [] };
    }
  }

  /** For desk phones: verified name in From/PAI, verstat on PAI (ATIS-1000074), the logo as Call-Info. */
  private brandHeaders(call: Call): Record<string, string> {
    const v = call.verification;
    if (!v) return {};
    const caller = `<${call.record.from}>`;
    const pai = applyVerstat(v.brand ? withDisplayName(caller, v.brand.name) : caller, v.verstat);
    const info = v.brand ? brandCallInfo(v.brand) : undefined;
    return { 'P-Asserted-Identity': pai, ...(info ? { 'Call-Info': info } : {}) };
  }

  /**
   * For app users: signed call metadata (verstat, brand, reason) sent with the
   * incoming-call signal, so /phone checks it and shows the lockscreen before its dialer.
   */
  private async appMetadata(call: Call): Promise<string | undefined> {
    const branding = this.ctx.services.maybe('branding');
    if (!branding || !call.verification) return undefined;
    const callerNumber = telephoneNumberOf(call.record.from) ?? call.record.from;
    return branding.callMetadata({ tenantId: call.record.tenantId, callId: call.id, callerNumber, verification: call.verification });
  }

  /**
   * A call we originate from a brand's number to one of our own app users never crosses
   * a carrier, but the app should see it exactly as it would: verify our own Identity
   * header and send the result as call metadata.
   */
  private async ownCallMetadata(
    tenantId: string,
    call: { callId: string; interactionId?: string; reason?: string },
    from: string,
    to: string,
    identity: string,
  ): Promise<string | undefined> {
    const branding = this.ctx.services.maybe('branding');
    const fromTn = telephoneNumberOf(from);
    const toTn = telephoneNumberOf(to);
    if (!branding || !fromTn || !toTn) return undefined;
    const verification = await branding.verifyIncoming({ tenantId, identityHeaders: [identity], from: fromTn, to: toTn });
    // Our own brand: its content page for this call is the link the lockscreen offers.
    const brand = await branding.brands.findByNumber(tenantId, fromTn.replace(/^\+/, ''));
    const link = brand
      ? await branding.callLink({ tenantId, brandId: brand.id, callId: call.callId, interactionId: call.interactionId, data: call.reason ? { reason: call.reason } : {} })
      : undefined;
    return branding.callMetadata({ tenantId, callId: call.callId, callerNumber: fromTn, verification, link });
  }

  /** An Identity header when the tenant's brand owns the calling number; otherwise none (the call goes unsigned). */
  private async identityFor(tenantId: string, from: string, to: string, reason?: string): Promise<Record<string, string>> {
    const branding = this.ctx.services.maybe('branding');
    const fromTn = telephoneNumberOf(from);
    const toTn = telephoneNumberOf(to);
    if (!branding || !fromTn || !toTn) return {};
    try {
      return { Identity: (await branding.signOutgoing({ tenantId, from: fromTn, to: toTn, reason })).identityHeader };
    } catch {
      return {};
    }
  }

  /** sip:/sips: URI, `user:<id>`, a SIP account name, or a number (own number's user, else via the tenant's trunk). */
  async resolve(tenantId: string, target: string): Promise<Destination> {
    if (/^sips?:/i.test(target)) return { uris: [{ uri: target }], appUsers: [] };
    let userId: string | null = null;
    let usernames: string[] = [];
    if (target.startsWith('user:')) {
      userId = target.slice(5);
    } else {
      const account = await this.deps.sipAccounts.credentials(target);
      if (account?.tenantId === tenantId) {
        usernames = [account.username];
        userId = account.userId;
      } else {
        const number = await this.deps.numbers.lookup(target);
        if (number?.tenantId === tenantId && number.userId) userId = number.userId;
      }
    }
    if (userId && usernames.length === 0) usernames = (await this.deps.sipAccounts.byUser(tenantId, userId)).map((a) => a.username);
    if (userId || usernames.length) {
      const uris: Destination['uris'] = [];
      for (const u of usernames) uris.push(...(await this.deps.registrations.reachable(u)));
      return { uris, appUsers: userId ? [userId] : [] };
    }
    if (/^\+?[0-9*#]{2,20}$/.test(target)) {
      const trunk = await this.deps.trunks.forTenant(tenantId);
      if (trunk) {
        const host = trunk.address.replace(/^sips?:/, '').split(';')[0];
        return { uris: [{ uri: `sip:${target}@${host}`, proxy: trunk.address, auth: trunk.credentials }], appUsers: [] };
      }
    }
    return { uris: [], appUsers: [] };
  }

  /** Hangs up every live call; peers that stopped answering do not hold up shutdown. */
  async stop(graceMs = 2000): Promise<void> {
    const hangups = Promise.all([...this.live.values()].map((c) => c.hangup('shutdown').catch(() => {})));
    await Promise.race([hangups, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}

/** The codec a call's audio is in as far as bridging goes: only browser legs may be Opus. */
function codecOf(call: Call): MediaProfile {
  return call.leg instanceof BrowserLeg ? call.leg.codec : 'pcmu';
}

/** The telephone number in a SIP/tel URI or a dial string (`sip:+15550100@host` → `+15550100`), if it is one. */
function telephoneNumberOf(value: string): string | null {
  const user = /^(?:sips?:|tel:)?([^@;>]+)/i.exec(value.replace(/^<|>$/g, ''))?.[1] ?? '';
  const digits = decodeURIComponent(user).replace(/[-.() ]/g, '');
  return /^\+?[0-9]{4,15}$/.test(digits) ? digits : null;
}
