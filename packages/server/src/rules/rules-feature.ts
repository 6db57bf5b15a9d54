import type { Feature } from '../core/feature.js';
import { eventHookRoutes } from './event-hook-routes.js';
import { EventHooks } from './event-hooks.js';
import { RuleActions } from './rules-actions.js';
import { RulesRepo } from './rules-repo.js';
import { rulesRoutes } from './rules-routes.js';
import { RulesRuntime } from './rules-runtime.js';
import { RulesService } from './rules-service.js';

export interface RulesFeatureOptions {
  /** How long the engine waits for out-of-order events before processing in event-time order (default 0: at once). */
  latenessMs?: number;
}

/**
 * Cross-channel rules: events from every channel (and ingested business events) drive
 * patterns whose actions change another channel's live interaction, once, explained.
 * Acts through the services of the features that own those channels.
 */
export function createRulesFeature(opts: RulesFeatureOptions = {}): Feature {
  return {
    name: 'rules',
    uses: ['telephony', 'confirm', 'deflection', 'sms', 'chat', 'routing'],
    async setup(ctx, { routes }) {
      const repo = new RulesRepo(ctx.store);
      const runtime = new RulesRuntime(ctx, repo, { latenessMs: opts.latenessMs ?? Number(process.env.CALLSIGHT_RULES_LATENESS_MS ?? 0) });
      const actions = new RuleActions(ctx, repo, runtime);
      const service = new RulesService(ctx, repo, runtime, actions);
      await routes.register(async (app) => rulesRoutes(service)(app, ctx));
      await routes.register(eventHookRoutes(new EventHooks(ctx, service)));
      await runtime.start();
      await actions.start();
      // Another process changed a rule: load the new set.
      const reloads = await ctx.bus.subscribe({ types: ['rules.rule.saved'] }, () => runtime.reload());
      return async () => {
        await reloads.unsubscribe();
        await actions.stop();
        await runtime.stop();
      };
    },
  };
}

export const rulesFeature = createRulesFeature();
