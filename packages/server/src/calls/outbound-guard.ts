import type { DialVia } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/principal.js';
import { CallsightError } from '../core/errors.js';
import type { Call } from './call.js';
import type { NumberRepo } from './number-repo.js';
import { destinationRefusal, e164Of, type DialActor, type DialDestination, type OutboundPolicy, type Refusal, type RefusalCode } from './outbound-policy.js';
import type { OutboundDialLog } from './outbound-dial-log.js';
import type { OutboundPolicyRepo } from './outbound-policy-repo.js';
import type { SipAccountRepo } from './sip-account-repo.js';

/** The way a dial came in, reported with a refusal. */
export type { DialVia };

declare module '../core/services.js' {
  interface Services {
    outbound: OutboundGuard;
  }
}

/** A dial the policy let through: `bind` counts the call against its user's concurrency until it ends. */
export interface Admission {
  bind(call: Call): void;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The dial actor of a request's principal (a user by session, or an API key). */
export function actorOf(p: Principal): DialActor {
  return p.userId ? { kind: 'user', userId: p.userId, role: p.role } : { kind: 'apiKey', apiKeyId: p.apiKeyId ?? 'unknown', role: p.role };
}

/**
 * The one gate every outbound call passes (REST, the apps' `call.dial`, flow `dial`
 * verbs — also from webhooks —, transfers, callbacks, room dial-outs): classifies the
 * target, applies the tenant's policy and the per-user limits (counted in the store,
 * so they hold across processes), and refuses with a 403 and a `call.dial.refused` event.
 */
export class OutboundGuard {
  /** Who started a call whose verbs may dial on (REST originate with verbs): its flow dials with their rights. */
  private readonly callActors = new WeakMap<Call, DialActor>();

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { numbers: NumberRepo; sipAccounts: SipAccountRepo; policies: OutboundPolicyRepo; dials: OutboundDialLog },
  ) {}

  /** Internal when the target is this tenant's user, SIP account or number; else a SIP URI or a number out through the trunk. */
  async classify(tenantId: string, target: string, policy: OutboundPolicy): Promise<DialDestination> {
    if (/^sips?:/i.test(target)) {
      // sip:+19005550100@carrier is a premium number all the same.
      const user = safeDecode(/^sips?:([^@;?]+)@/i.exec(target)?.[1] ?? '').replace(/[-.() ]/g, '');
      return { kind: 'sip_uri', uri: target, e164: /^\+?[0-9]{7,15}$/.test(user) ? e164Of(user, policy.homeCountryCode) : null };
    }
    if (target.startsWith('user:')) return { kind: 'internal' };
    const account = await this.deps.sipAccounts.credentials(target);
    if (account?.tenantId === tenantId) return { kind: 'internal' };
    const number = await this.deps.numbers.lookup(target);
    if (number?.tenantId === tenantId) return { kind: 'internal' };
    const e164 = e164Of(target, policy.homeCountryCode);
    if (e164) return { kind: 'number', e164 };
    // What the trunk would take (CallManager.resolve) but is no plain number: *67+1900… must not pass as one.
    if (/^\+?[0-9*#]{2,20}$/.test(target)) return { kind: 'service_code', dialled: target };
    // Anything else does not resolve to a destination at all (404 later), so it costs nothing.
    return { kind: 'internal' };
  }

  /** Admits a dial or throws the refusal (403, with its event). */
  async admit(tenantId: string, actor: DialActor, to: string, via: DialVia): Promise<Admission> {
    if (actor.kind === 'admitted') return { bind: () => {} };
    const policy = await this.deps.policies.get(tenantId);
    const dest = await this.classify(tenantId, to, policy);
    const refusal = destinationRefusal(policy, actor, dest) ?? (actor.kind === 'user' ? await this.limitRefusal(policy, tenantId, actor.userId) : null);
    if (refusal) await this.refuse(tenantId, actor, to, via, refusal);
    if (actor.kind !== 'user') return { bind: () => {} };
    const dialId = await this.deps.dials.record(tenantId, actor.userId);
    return {
      bind: (call) => {
        this.deps.dials.attach(dialId, call.id).catch((err) => this.ctx.log.warn({ err, callId: call.id }, 'recording a dial for the limits failed'));
      },
    };
  }

  /** The flow on `call` dials with the rights of whoever gave it its verbs (REST), else as the tenant's flow. */
  flowActor(call: Call): DialActor {
    return this.callActors.get(call) ?? { kind: 'flow' };
  }

  setFlowActor(call: Call, actor: DialActor): void {
    if (actor.kind !== 'admitted') this.callActors.set(call, actor);
  }

  private async limitRefusal(policy: OutboundPolicy, tenantId: string, userId: string): Promise<Refusal | null> {
    const { callsPerMinute, concurrentCalls } = policy.limits;
    if (callsPerMinute === 0 && concurrentCalls === 0) return null;
    const usage = await this.deps.dials.usage(tenantId, userId);
    if (concurrentCalls > 0 && usage.live >= concurrentCalls) {
      return { code: 'dial_concurrency_limited', message: `At most ${concurrentCalls} calls at once; end one first` };
    }
    if (callsPerMinute > 0 && usage.lastMinute >= callsPerMinute) {
      return { code: 'dial_rate_limited', message: `At most ${callsPerMinute} calls a minute; try again shortly` };
    }
    return null;
  }

  private async refuse(tenantId: string, actor: Exclude<DialActor, { kind: 'admitted' }>, to: string, via: DialVia, refusal: Refusal): Promise<never> {
    const who =
      actor.kind === 'user'
        ? { kind: actor.kind, userId: actor.userId, role: actor.role }
        : actor.kind === 'apiKey'
          ? { kind: actor.kind, apiKeyId: actor.apiKeyId, role: actor.role }
          : actor.kind === 'device'
            ? { kind: actor.kind, deviceId: actor.deviceId }
            : { kind: actor.kind };
    this.ctx.log.info({ tenantId, to, via, code: refusal.code, actor: who }, 'outbound call refused');
    await this.ctx.bus.publish({
      tenantId,
      type: 'call.dial.refused',
      ...(actor.kind === 'user' ? { userIds: [actor.userId] } : {}),
      data: { to, code: refusal.code, reason: refusal.message, via, actor: who },
    });
    throw new CallsightError(refusal.code, refusal.message, { status: 403 });
  }
}
