import { ConfigError, loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';
import { installProcessGuards } from './core/process-guards.js';
import { DEMO_USERS } from './seed/demo-tenant.js';
import { startServer } from './server.js';

/** `npm start` / `callsight start`: run until SIGTERM/SIGINT, then drain and close. */
export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`callsight: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  installProcessGuards(log);
  const server = await startServer(config, { logger: log });
  const base = config.publicUrl ?? `http://localhost:${config.httpPort}`;
  const lines = [
    '',
    `  callsight is running at ${base}`,
    `  apps:  ${base}/phone  ${base}/agent  ${base}/admin  ${base}/rooms`,
    `  API:   ${base}/api/docs`,
    `  store: ${server.ctx.store.dialect}   bus: ${server.ctx.bus.kind}`,
  ];
  if (config.seedDemo) {
    lines.push(`  demo logins (password "${config.demoPassword === 'demo' ? 'demo' : '$CALLSIGHT_DEMO_PASSWORD'}"):`);
    for (const u of DEMO_USERS) lines.push(`    ${u.role.padEnd(10)} ${u.email}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
