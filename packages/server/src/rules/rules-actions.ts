import { describeAction, type CxAction, type CxActionResult } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Subscription } from '../bus/event-bus.js';
import type { Call } from '../calls/call.js';
import type { Principal } from '../auth/principal.js';
import { signWebhook, SIGNATURE_HEADER } from '../webhooks/webhook-signature.js';
import type { RulesRepo } from './rules-repo.js';
import type { RulesRuntime } from './rules-runtime.js';

export { describeAction };

type Effect = NonNullable<Awaited<ReturnType<RulesRepo['effect']>>>;

/**
 * Takes a firing's actions, once: driven by `rules.fired` in the bus group
 * `rules-actions` (one process, redelivered until handled), each action's result is
 * stored as soon as it finished, so a retry after a crash skips what was done and
 * runs only the rest. Webhooks carry the effect key as `Idempotency-Key` for the
 * receiver to do the same. Shadow firings record what would have happened.
 *
 * Every action goes through the service of the feature that owns the channel
 * (confirm, telephony, deflection, sms, chat, routing) — never its tables.
 */
export class RuleActions {
  private sub?: Subscription;
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly repo: RulesRepo,
    private readonly runtime: RulesRuntime,
  ) {}

  async start(): Promise<void> {
    this.sub = await this.ctx.bus.subscribe({ group: 'rules-actions', types: ['rules.fired'] }, async (e) => {
      if (e.type !== 'rules.fired') return;
      const key = e.data.key;
      // One run per key in this process; other processes never get the same delivery at once.
      const prior = this.running.get(key);
      if (prior) return prior;
      const run = this.runKey(key).finally(() => this.running.delete(key));
      this.running.set(key, run);
      return run;
    });
  }

  async stop(): Promise<void> {
    await this.sub?.unsubscribe();
    await Promise.allSettled([...this.running.values()]);
  }

  /** The webhook signing secret of a tenant's rule webhooks (derived from the master key). */
  webhookSecret(tenantId: string): string {
    return this.ctx.secretBox.derive(`rules-webhook:${tenantId}`).toString('base64url');
  }

  private async runKey(key: string): Promise<void> {
    const effect = await this.repo.effect(key);
    if (!effect) return;
    const results: CxActionResult[] = [...effect.actions];
    if (results.length >= effect.planned.length) return;
    for (let i = results.length; i < effect.planned.length; i++) {
      const action = effect.planned[i]!;
      if (effect.mode === 'shadow') results.push({ kind: action.kind, status: 'shadow', detail: `would ${describeAction(action)}` });
      else {
        this.runtime.noteAction({ interactionId: effect.interactionId, customerId: effect.customerId, depth: effect.depth });
        results.push(await this.act(effect, action, i));
      }
      await this.repo.saveResults(key, results);
    }
    await this.ctx.bus.publish({
      id: `rac_${key}`,
      tenantId: effect.tenantId,
      type: 'rules.acted',
      ...(effect.interactionId ? { interactionId: effect.interactionId } : {}),
      data: { ruleId: effect.ruleId, key, results },
    });
  }

  private async act(effect: Effect, action: CxAction, index: number): Promise<CxActionResult> {
    try {
      const detail = await this.perform(effect, action, index);
      return { kind: action.kind, status: 'done', detail };
    } catch (err) {
      const e = err as Error & { code?: string };
      this.ctx.log.warn({ err, ruleId: effect.ruleId, action: action.kind }, 'rule action failed');
      return { kind: action.kind, status: 'failed', detail: e.message || 'failed' };
    }
  }

  private system(tenantId: string): Principal {
    return { tenantId, role: 'admin', userId: null, apiKeyId: null };
  }

  /** The live call of the interaction acted on, in this process. */
  private async liveCall(effect: Effect): Promise<Call> {
    const telephony = this.ctx.services.maybe('telephony');
    if (!telephony) throw new Error('telephony is not running');
    if (!effect.interactionId) throw new Error('no call with the customer was active');
    const calls = await telephony.calls.list({ tenantId: effect.tenantId, interactionId: effect.interactionId, limit: 20 });
    for (const c of calls) {
      if (c.state === 'ended') continue;
      const live = telephony.manager.get(effect.tenantId, c.id);
      if (live && live.state !== 'ended') return live;
    }
    throw new Error('no live call on the interaction');
  }

  private async perform(effect: Effect, action: CxAction, index: number): Promise<string> {
    const tenantId = effect.tenantId;
    switch (action.kind) {
      case 'card': {
        const confirm = this.ctx.services.maybe('confirm');
        if (!confirm) throw new Error('cards are not running');
        if (!effect.interactionId) throw new Error('no live interaction to show the card in');
        const card = await confirm.present(this.system(tenantId), effect.interactionId, {
          kind: action.card.kind,
          ...(action.card.title ? { title: action.card.title } : {}),
          ...(action.card.message ? { message: action.card.message } : {}),
          ...(action.card.fields ? { fields: action.card.fields } : {}),
          ...(action.card.values ? { values: action.card.values } : {}),
          ...(action.card.ttlSeconds ? { ttlSeconds: action.card.ttlSeconds } : {}),
        });
        return `showed the card “${card.content.title}” on the customer’s screen`;
      }
      case 'whisper': {
        const agentId = await this.agentOf(effect);
        await this.ctx.bus.publish({
          id: `rwh_${effect.key}_${index}`,
          tenantId,
          type: 'rules.whisper',
          ...(effect.interactionId ? { interactionId: effect.interactionId } : {}),
          data: { ruleId: effect.ruleId, ruleName: (await this.repo.get(tenantId, effect.ruleId))?.name ?? '', text: action.text, agentId },
        });
        return agentId ? `whispered to the agent: “${action.text}”` : `left a note on the interaction: “${action.text}”`;
      }
      case 'chat_message': {
        const chat = this.ctx.services.maybe('chat');
        if (!chat) throw new Error('chat is not running');
        const conv = await this.openChat(effect);
        await chat.post(conv, 'system', null, 'Assistant', action.text);
        return `posted in the chat: “${action.text}”`;
      }
      case 'sms': {
        const sms = this.ctx.services.maybe('sms');
        if (!sms) throw new Error('SMS is not configured');
        const to = await this.customerNumber(effect);
        await sms.send(tenantId, { to, text: action.text, ...(effect.interactionId ? { interactionId: effect.interactionId } : {}) });
        return `texted ${to}`;
      }
      case 'route_to_last_agent': {
        const routing = this.ctx.services.maybe('routing');
        if (!routing) throw new Error('routing is not running');
        const agentId = await this.agentOf(effect);
        if (!agentId) throw new Error('no agent has served this customer yet');
        if (!effect.interactionId) throw new Error('nothing waiting to be routed');
        const items = (await routing.openItemsOf(tenantId, effect.interactionId)).filter((i) => i.state !== 'assigned');
        if (!items.length) throw new Error('nothing of this interaction waits in a queue');
        for (const item of items) await routing.reassign(tenantId, item.id, agentId);
        return `routed to the agent who served the customer before`;
      }
      case 'deflect': {
        const deflection = this.ctx.services.maybe('deflection');
        if (!deflection) throw new Error('deflection is not running');
        const call = await this.liveCall(effect);
        // The deflection runs for as long as the caller takes to open the link; it is not awaited.
        void deflection
          .deflect(call, { verb: 'deflect', to: action.to, queue: 'support', timeoutSeconds: 120 })
          .catch((err) => this.ctx.log.warn({ err, callId: call.id }, 'rule deflection failed'));
        return `offered the caller to continue by ${action.to === 'chat' ? 'chat' : action.to === 'menu' ? 'the visual menu' : 'booking a callback'}`;
      }
      case 'end_call': {
        const call = await this.liveCall(effect);
        await call.hangup('rule');
        return 'ended the call';
      }
      case 'say': {
        const telephony = this.ctx.services.get('telephony');
        const call = await this.liveCall(effect);
        void telephony.manager.runVerbs(call, [{ verb: 'say', text: action.text, loop: 1 }]).catch((err) => this.ctx.log.warn({ err, callId: call.id }, 'rule prompt failed'));
        return `played “${action.text}” into the call`;
      }
      case 'callback': {
        const deflection = this.ctx.services.maybe('deflection');
        if (!deflection) throw new Error('callbacks are not running');
        if (!effect.interactionId) throw new Error('no interaction to call back about');
        const caller = await this.customerNumber(effect);
        const slotAt = Date.now() + action.inMinutes * 60_000;
        await deflection.callbacks.book({ tenantId, interactionId: effect.interactionId, deflectionId: null, caller, fromNumber: null, queue: 'support', slotAt, context: { ruleId: effect.ruleId } });
        return `booked a callback to ${caller} in ${action.inMinutes} min`;
      }
      case 'webhook': {
        const body = JSON.stringify({ key: effect.key, ruleId: effect.ruleId, version: effect.version, eventIds: effect.eventIds, customerId: effect.customerId, interactionId: effect.interactionId, at: effect.at });
        const ts = Math.floor(Date.now() / 1000);
        const res = await this.ctx.egress.fetch(action.url, {
          tenantId,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'callsight-rules/1', 'idempotency-key': effect.key, [SIGNATURE_HEADER]: signWebhook(this.webhookSecret(tenantId), body, ts) },
          body,
          timeoutMs: 5000,
          maxBytes: 64 * 1024,
          maxRedirects: 0,
        });
        if (res.status >= 300) throw new Error(`the webhook answered ${res.status}`);
        return `called the webhook (${res.status})`;
      }
    }
  }

  private async agentOf(effect: Effect): Promise<string | null> {
    const customerId = effect.customerId;
    if (customerId) {
      const ctx = this.runtime.engine(effect.tenantId).context(customerId);
      if (ctx.lastAgentId) return ctx.lastAgentId;
    }
    const routing = this.ctx.services.maybe('routing');
    if (routing && effect.interactionId) {
      const items = await routing.openItemsOf(effect.tenantId, effect.interactionId);
      const held = items.find((i) => i.agentId);
      if (held?.agentId) return held.agentId;
    }
    return null;
  }

  private async openChat(effect: Effect) {
    const chat = this.ctx.services.get('chat');
    const ctx = effect.customerId ? this.runtime.engine(effect.tenantId).context(effect.customerId) : null;
    for (const id of Object.keys(ctx?.chats ?? {}).reverse()) {
      const conv = await chat.repo.get(effect.tenantId, id);
      if (conv && conv.state !== 'closed') return conv;
    }
    throw new Error('the customer has no open chat');
  }

  private async customerNumber(effect: Effect): Promise<string> {
    if (!effect.customerId) throw new Error('the customer is not known');
    const user = await this.ctx.users.get(effect.tenantId, effect.customerId);
    if (!user?.phoneNumber) throw new Error('the customer has no phone number');
    return user.phoneNumber;
  }
}
