import { rmSync } from 'node:fs';
import { NatsBus } from '../../src/bus/nats-bus.js';
import { createLogger } from '../../src/core/logger.js';
import type { RoutingChannel } from '../../src/routing/allocator.js';
import { dropPgSchema, type Backend } from '../helpers/backends.js';
import type { TestServer } from '../helpers/test-server.js';

/** Routing needs no SIP; without it several servers fit in one process (and next to other suites). */
export const NO_SIP = { sipEnabled: false } as const;

/** Shared steps of the routing tests. */
export async function acme(s: TestServer) {
  const tenant = (await s.ctx.tenants.bySlug('acme'))!;
  const agent = (await s.ctx.users.byEmailWithHash('agent@acme.test'))!;
  const supervisor = (await s.ctx.users.byEmailWithHash('supervisor@acme.test'))!;
  return { tenantId: tenant.id, agentId: agent.id, supervisorId: supervisor.id };
}

export async function newContact(s: TestServer, tenantId: string, channel: RoutingChannel, queueName = 'support', extra: { volume?: number } = {}) {
  const interaction = await s.ctx.interactions.create({ tenantId, channel });
  const { itemId } = await s.ctx.services.get('routing').enqueue({ tenantId, interactionId: interaction.id, channel, queueName, ...extra });
  return { interactionId: interaction.id, itemId };
}

export const itemRow = (s: TestServer, id: string) => s.ctx.services.get('routing').repo.item(id);

/** Removes what servers started with `reuse` left behind (their destroy() leaves shared data alone). */
export async function dropShared(backend: Backend, info: TestServer['reuseInfo']): Promise<void> {
  rmSync(info.dataDir, { recursive: true, force: true });
  if (backend.databaseUrl) await dropPgSchema(backend.databaseUrl, info.schema);
  if (backend.natsUrl) {
    const bus = await NatsBus.connect({ url: backend.natsUrl, stream: info.stream }, null, createLogger('silent'));
    await bus.destroyStream().catch(() => {});
    await bus.close();
  }
}
