import type { Registrar, SipEndpoint } from '../sip/ua/index.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import type { Call } from './call.js';
import type { ConnectOptions, OriginateInput } from './call-connector.js';
import type { CallRepo } from './call-repo.js';
import type { FlowRepo } from './flows/flow-repo.js';
import type { FlowOutcome } from './flows/flow-runner.js';
import type { Verb } from './flows/flow-schema.js';
import type { Leg } from './leg.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo } from './number-repo.js';
import type { Admission } from './outbound-guard.js';
import type { DialActor } from './outbound-policy.js';
import type { RegistrationRepo } from './registration-repo.js';
import type { TrunkRegistrations } from './trunk-registrations.js';
import type { SipAccountRepo } from './sip-account-repo.js';
import type { TrunkRepo } from './trunk-repo.js';

/**
 * What features may do with calls — the public face of `CallManager` (call-manager.ts
 * and the parts it is made of), as mediasoup separates RouterTypes.ts from Router.ts.
 */
export interface CallControl {
  get(tenantId: string, callId: string): Call | undefined;
  /** A live call of this process, or 404. */
  require(tenantId: string, callId: string): Call;
  readonly size: number;
  /** Originates a call to `to` (every reachable contact and app rings at once); `verbs` run once it is answered. */
  originate(tenantId: string, input: OriginateInput): Promise<Call>;
  /** Rings `target` for `call` and bridges them on answer; resolves when the bridge ends, or 'failed'. */
  connect(call: Call, target: string, opts: ConnectOptions): Promise<'completed' | 'failed'>;
  /** Server-side blind transfer of `call` to `to`. */
  transfer(call: Call, to: string, actor: DialActor): Promise<void>;
  /** Runs verbs on a live call (not a flow of its own: the call does not end when they run out). */
  runVerbs(call: Call, verbs: Verb[]): Promise<FlowOutcome>;
  /** The codec an app's call to `to` will carry (Opus browser ↔ browser, PCMU otherwise). */
  appCallCodec(tenantId: string, to: string): Promise<MediaProfile>;
  /** A browser app dials `to` over its WebRTC leg. */
  dialFromApp(tenantId: string, leg: Leg & { callId: string }, from: string, to: string, admission: Admission, callerName?: string): Promise<Call>;
}

/** The telephony service other features use (`needs: ['telephony']`, then `ctx.services.get('telephony')`). */
export interface Telephony {
  endpoint: SipEndpoint;
  registrar: Registrar;
  media: MediaEngine;
  manager: CallControl;
  calls: CallRepo;
  flows: FlowRepo;
  numbers: NumberRepo;
  sipAccounts: SipAccountRepo;
  registrations: RegistrationRepo;
  trunks: TrunkRepo;
  /** Trunks registered with their carriers; re-registered when their settings change. */
  trunkRegistrations: TrunkRegistrations;
}

declare module '../core/services.js' {
  interface Services {
    telephony: Telephony;
  }
}
