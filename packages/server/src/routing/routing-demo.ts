import type { AppContext } from '../app-context.js';
import { DEMO_TENANT } from '../seed/demo-tenant.js';
import type { RoutingService } from './routing-service.js';

const SKILLS = [
  { name: 'general', description: 'Everyday banking questions' },
  { name: 'cards', description: 'Cards: lost, blocked, limits' },
  { name: 'sales', description: 'Loans, accounts and offers' },
];

/** Idempotent demo data: creates what is missing, never overwrites what a person changed. */
export async function seedRoutingDemo(ctx: AppContext, routing: RoutingService): Promise<void> {
  const tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
  if (!tenant) return;
  const repo = routing.repo;
  const existing = new Set((await repo.skills(tenant.id)).map((s) => s.name));
  for (const s of SKILLS) if (!existing.has(s.name)) await repo.createSkill(tenant.id, s.name, s.description);

  if (!(await repo.queueByName(tenant.id, 'support'))) {
    await routing.queueChanged(
      await repo.createQueue(tenant.id, {
        name: 'support',
        channels: ['chat', 'sms', 'voice'],
        skills: [{ skill: 'general', minLevel: 1 }],
        priority: 5,
        slaSeconds: 30,
        textDuringVoice: false,
        acceptTimeoutSeconds: 20,
        wrapUpSeconds: 10,
        wrapUpCodes: ['resolved', 'follow-up', 'escalated'],
        overflowQueueId: null,
        overflowAfterSeconds: null,
      }),
    );
  }
  if (!(await repo.queueByName(tenant.id, 'sales'))) {
    await routing.queueChanged(
      await repo.createQueue(tenant.id, {
        name: 'sales',
        channels: ['voice', 'chat', 'email'],
        skills: [{ skill: 'sales', minLevel: 1 }],
        priority: 3,
        slaSeconds: 60,
        textDuringVoice: false,
        acceptTimeoutSeconds: 20,
        wrapUpSeconds: 10,
        wrapUpCodes: ['sold', 'not-interested', 'call-back'],
        overflowQueueId: null,
        overflowAfterSeconds: null,
      }),
    );
  }
  const agent = await ctx.users.byEmailWithHash('agent@acme.test');
  if (agent && !(await repo.agent(agent.id))) {
    await routing.ensureAgent(tenant.id, agent.id);
    await routing.setAgentProfile(tenant.id, agent.id, { skills: { general: 7, cards: 5, sales: 3 }, limit: 2 });
  }
}
