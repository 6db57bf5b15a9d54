import type { AppContext } from '../app-context.js';
import type { SipEndpoint } from '../sip/ua/index.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import type { Call } from './call.js';
import { CallConnector, type ConnectOptions, type OriginateInput } from './call-connector.js';
import type { CallHooks } from './call-hooks.js';
import type { CallRepo } from './call-repo.js';
import { Destinations } from './destinations.js';
import type { FlowRepo } from './flows/flow-repo.js';
import { FlowRunner, type FlowOutcome } from './flows/flow-runner.js';
import type { Verb } from './flows/flow-schema.js';
import type { VerbRegistry } from './flows/verb-registry.js';
import { InboundRouter } from './inbound-router.js';
import type { Leg } from './leg.js';
import { endFailedCall, LiveCalls } from './live-calls.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo } from './number-repo.js';
import type { Admission } from './outbound-guard.js';
import type { DialActor } from './outbound-policy.js';
import type { InboundTrust } from './inbound-trust.js';
import type { RegistrationLookup } from './registration-repo.js';
import type { SipAccountRepo } from './sip-account-repo.js';
import type { CallControl } from './telephony.js';
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
  /** Who may start inbound calls (configured peers, trunks, digest-authenticated accounts). */
  trust: InboundTrust;
  hooks: CallHooks;
  verbs: VerbRegistry;
}

/** Rings a user's browser apps (the /phone or /agent softphone); null when none is connected. */
export interface AppPhones {
  /** `codec` 'opus': the caller is a browser too, so the answering app's leg is Opus (relayed untouched). */
  ring(input: { tenantId: string; userId: string; callId: string; from: string; fromName?: string; metadataToken?: string; codec?: MediaProfile }): Leg | null;
}

/**
 * This process's calls, put together from what each part does: live calls
 * (live-calls.ts), where targets ring (destinations.ts), calls in (inbound-router.ts),
 * originate and connect (call-connector.ts), and flows over them (flows/).
 */
export class CallManager implements CallControl {
  private readonly live: LiveCalls;
  private readonly destinations: Destinations;
  private readonly connector: CallConnector;
  private readonly inbound: InboundRouter;
  private readonly runner: FlowRunner;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: TelephonyDeps,
  ) {
    const runFlow = (call: Call, verbs: Verb[]) => this.runFlow(call, verbs);
    this.live = new LiveCalls(ctx, deps);
    this.destinations = new Destinations(deps);
    this.connector = new CallConnector(ctx, { ...deps, live: this.live, destinations: this.destinations, runFlow });
    this.inbound = new InboundRouter(ctx, { ...deps, live: this.live, connector: this.connector, runFlow });
    this.runner = new FlowRunner({ flows: deps.flows, calls: deps.calls, host: this.connector, verbs: deps.verbs, log: ctx.log.child({ component: 'flows' }), egress: ctx.egress });
  }

  start(): void {
    this.deps.endpoint.on('invite', (inv) => {
      this.inbound.onInvite(inv).catch((err) => {
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
    return this.live.get(tenantId, callId);
  }

  require(tenantId: string, callId: string): Call {
    return this.live.require(tenantId, callId);
  }

  get size(): number {
    return this.live.size;
  }

  appCallCodec(tenantId: string, to: string): Promise<MediaProfile> {
    return this.destinations.appCallCodec(tenantId, to);
  }

  dialFromApp(tenantId: string, leg: Leg & { callId: string }, from: string, to: string, admission: Admission, callerName?: string): Promise<Call> {
    return this.inbound.dialFromApp(tenantId, leg, from, to, admission, callerName);
  }

  originate(tenantId: string, input: OriginateInput): Promise<Call> {
    return this.connector.originate(tenantId, input);
  }

  connect(call: Call, target: string, opts: ConnectOptions): Promise<'completed' | 'failed'> {
    return this.connector.connect(call, target, opts);
  }

  transfer(call: Call, to: string, actor: DialActor): Promise<void> {
    return this.connector.transfer(call, to, actor);
  }

  /** Runs verbs on a call as a flow of its own (the API's play, a dialled call's verbs). */
  runVerbs(call: Call, verbs: Verb[]): Promise<FlowOutcome> {
    return this.runner.run(call, verbs);
  }

  /** Never rejects: it runs in the background of whoever started the call. */
  async runFlow(call: Call, verbs: Verb[]): Promise<void> {
    try {
      const outcome = await this.runner.run(call, verbs);
      // A flow that runs out of verbs ends the call, as in TwiML.
      if (outcome === 'done' && !call.bridgedTo) await call.hangup('flow_completed');
    } catch (err) {
      this.ctx.log.warn({ err, callId: call.id }, 'flow failed');
      await call.hangup('flow_failed').catch((e) => endFailedCall(this.ctx.log, call, e, 'hanging up after a failed flow failed'));
    }
  }

  /** Hangs up every live call; peers that stopped answering do not hold up shutdown. */
  async stop(graceMs = 2000): Promise<void> {
    await this.live.hangupAll(graceMs);
  }
}
