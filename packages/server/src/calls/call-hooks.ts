import type { Logger } from '../core/logger.js';
import type { Call } from './call.js';
import type { Verb } from './flows/flow-schema.js';
import type { PhoneNumber } from './number-repo.js';

/** An INVITE that reached one of our numbers or accounts, its call created and not yet ringing anything. */
export interface InboundInvite {
  call: Call;
  /** The dialled user part (a number or SIP account). */
  dialled: string;
  /** From a trusted peer (carrier, trunk). Otherwise a phone: `headers` then gives only its From (its account) and Privacy. */
  fromPeer: boolean;
  /** Every value of a header (`identity`), in order — those that may count as evidence. */
  headers(name: string): string[];
}

/** A call we are about to INVITE out (or ring in an app). */
export interface OutgoingCall {
  tenantId: string;
  callId: string;
  interactionId?: string;
  from: string;
  to: string;
  /** Call reason given by the API (branded calls). */
  reason?: string;
  /** The inbound call this one rings on behalf of (a number or account of a user), if any. */
  forwarding?: Call;
  /** Headers the outgoing INVITEs carry (after `outgoingHeaders`). */
  headers: Record<string, string | string[]>;
}

type Hook<A extends unknown[], R> = (...args: A) => R;

/** Adds a hook; the returned function removes it (a feature that stops leaves no hook behind). */
function add<T>(list: T[], hook: T): () => void {
  list.push(hook);
  return () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * Where features plug into calls without the calls layer knowing them: branding
 * verifies inbound INVITEs and signs outgoing ones, deflection puts its rules in
 * front of flows and watches campaign calls. Hooks run in registration order;
 * registering returns the function that removes the hook.
 */
export class CallHooks {
  private readonly inbound: Hook<[InboundInvite], Promise<void>>[] = [];
  private readonly before: Hook<[Call, PhoneNumber], Promise<Verb[]>>[] = [];
  private readonly headers: Hook<[Omit<OutgoingCall, 'headers'>], Promise<Record<string, string | string[]>>>[] = [];
  private readonly metadata: Hook<[OutgoingCall], Promise<string | undefined>>[] = [];
  private readonly originated: Hook<[Call, { campaign?: string }], void>[] = [];

  constructor(private readonly log: Logger) {}

  /** Verify and annotate an inbound call before anything rings (STIR/SHAKEN). */
  onInboundInvite(hook: Hook<[InboundInvite], Promise<void>>): () => void {
    return add(this.inbound, hook);
  }

  /** Verbs to run before a number's flow (call-control rules). */
  beforeFlow(hook: Hook<[Call, PhoneNumber], Promise<Verb[]>>): () => void {
    return add(this.before, hook);
  }

  /** Headers for the INVITEs of an outgoing call (Identity, P-Asserted-Identity…). */
  outgoingHeaders(hook: Hook<[Omit<OutgoingCall, 'headers'>], Promise<Record<string, string | string[]>>>): () => void {
    return add(this.headers, hook);
  }

  /** Signed metadata sent with the incoming-call signal when an app rings (the lockscreen); the first hook with one wins. */
  appRingMetadata(hook: Hook<[OutgoingCall], Promise<string | undefined>>): () => void {
    return add(this.metadata, hook);
  }

  /** A call we originated exists (its legs ringing). */
  onOriginated(hook: Hook<[Call, { campaign?: string }], void>): () => void {
    return add(this.originated, hook);
  }

  async runInbound(invite: InboundInvite): Promise<void> {
    for (const h of this.inbound) await h(invite);
  }

  async runBeforeFlow(call: Call, number: PhoneNumber): Promise<Verb[]> {
    const verbs: Verb[] = [];
    for (const h of this.before) verbs.push(...(await h(call, number)));
    return verbs;
  }

  /** A hook that fails leaves its headers out: the call goes out unsigned rather than not at all. */
  async runOutgoingHeaders(call: Omit<OutgoingCall, 'headers'>): Promise<Record<string, string | string[]>> {
    let headers: Record<string, string | string[]> = {};
    for (const h of this.headers) {
      try {
        headers = { ...headers, ...(await h(call)) };
      } catch (err) {
        this.log.warn({ err, callId: call.callId }, 'outgoing-headers hook failed');
      }
    }
    return headers;
  }

  async runAppRingMetadata(call: OutgoingCall): Promise<string | undefined> {
    for (const h of this.metadata) {
      const token = await h(call);
      if (token) return token;
    }
    return undefined;
  }

  runOriginated(call: Call, input: { campaign?: string }): void {
    for (const h of this.originated) {
      try {
        h(call, input);
      } catch (err) {
        this.log.warn({ err, callId: call.id }, 'originated hook failed');
      }
    }
  }
}
