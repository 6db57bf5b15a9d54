import { parseArgs } from 'node:util';
import { CallsightClient } from '@callsight/sdk';
import WebSocket from 'ws';
import { createRepos } from '../app-context.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { SecretBox } from '../core/secret-box.js';
import { hashPassword } from '../core/secrets.js';
import type { Role } from '../store/schema.js';
import { Store } from '../store/store.js';
import { main as startMain } from '../main.js';

export const HELP = `callsight — voice calls enhanced with visual information

usage: callsight <command> [options]

  start                                   run the server (same as npm start)
  migrate                                 apply database migrations
  tenant create --name N --slug S         create a tenant
  user create --tenant SLUG --email E --name N --role R [--password P]
                                          create a user (password from CALLSIGHT_USER_PASSWORD if omitted)
  apikey create --tenant SLUG --name N [--role R]
                                          create an API key (printed once)
  events tail [--types call.,chat.] [--interaction ID]
                                          stream live events (CALLSIGHT_URL, CALLSIGHT_API_KEY)
  call dial <to> [--from F] [--say TEXT]  originate a call (SIP URI, SIP account or number) and speak TEXT on answer
  call list                               recent calls
  call hangup <call id>                   end a live call

Database and other settings come from CALLSIGHT_* environment variables (see README).
`;

const ROLES: Role[] = ['admin', 'supervisor', 'agent', 'customer'];

/** Open the configured store, migrated, for one command. */
async function withStore<T>(fn: (store: Store, repos: ReturnType<typeof createRepos>, applied: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await Store.open({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await store.migrate();
    const box = config.masterKey ? SecretBox.fromKey(config.masterKey) : SecretBox.fromDataDir(config.dataDir);
    return await fn(store, createRepos(store, config, box), applied);
  } finally {
    await store.close();
  }
}

function opts(argv: string[], spec: Record<string, { type: 'string' | 'boolean' }>) {
  return parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true }).values as Record<string, string | undefined>;
}

function required(values: Record<string, string | undefined>, ...names: string[]): void {
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new Error(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
}

export async function run(positionals: string[], flags: Record<string, unknown>, argv: string[]): Promise<number | void> {
  const [cmd, sub] = positionals;
  const rest = argv.slice(argv.indexOf(sub ?? cmd) + 1);
  try {
    switch (`${cmd ?? ''} ${sub ?? ''}`.trim()) {
      case '':
      case 'help':
        process.stdout.write(HELP);
        return flags.help || cmd === 'help' ? 0 : 2;
      case 'start':
        await startMain();
        return;
      case 'migrate': {
        const applied = await withStore(async (_store, _repos, applied) => applied);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
        return 0;
      }
      case 'tenant create': {
        const v = opts(rest, { name: { type: 'string' }, slug: { type: 'string' } });
        required(v, 'name', 'slug');
        if (!/^[a-z0-9-]{2,40}$/.test(v.slug!)) throw new Error('--slug must be 2-40 chars of a-z, 0-9, -');
        const t = await withStore(async (_s, r) => {
          if (await r.tenants.bySlug(v.slug!)) throw new Error(`tenant ${v.slug} exists`);
          return r.tenants.create({ name: v.name!, slug: v.slug! });
        });
        process.stdout.write(`${t.id} ${t.slug}\n`);
        return 0;
      }
      case 'user create': {
        const v = opts(rest, {
          tenant: { type: 'string' },
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          password: { type: 'string' },
          phone: { type: 'string' },
        });
        required(v, 'tenant', 'email', 'name', 'role');
        if (!ROLES.includes(v.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
        const password = v.password ?? process.env.CALLSIGHT_USER_PASSWORD;
        if (!password || password.length < 8) throw new Error('a password of 8+ characters is required (--password or CALLSIGHT_USER_PASSWORD)');
        const u = await withStore(async (_s, r) => {
          const tenant = await r.tenants.bySlug(v.tenant!);
          if (!tenant) throw new Error(`no tenant ${v.tenant}`);
          if (await r.users.byEmailWithHash(v.email!)) throw new Error(`user ${v.email} exists`);
          return r.users.create({
            tenantId: tenant.id,
            email: v.email!,
            name: v.name!,
            role: v.role as Role,
            passwordHash: await hashPassword(password),
            phoneNumber: v.phone ?? null,
          });
        });
        process.stdout.write(`${u.id} ${u.email} ${u.role}\n`);
        return 0;
      }
      case 'apikey create': {
        const v = opts(rest, { tenant: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } });
        required(v, 'tenant', 'name');
        const role = (v.role ?? 'admin') as Role;
        if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
        const created = await withStore(async (_s, r) => {
          const tenant = await r.tenants.bySlug(v.tenant!);
          if (!tenant) throw new Error(`no tenant ${v.tenant}`);
          return r.apiKeys.create({ tenantId: tenant.id, name: v.name!, role, createdBy: 'cli' });
        });
        process.stdout.write(`${created.key}\n`);
        process.stderr.write('store this key now: it is not shown again\n');
        return 0;
      }
      case 'call dial':
      case 'call list':
      case 'call hangup':
        return await callCommand(sub!, rest);
      case 'events tail':
        return await tailEvents(opts(rest, { types: { type: 'string' }, interaction: { type: 'string' }, url: { type: 'string' } }));
      default:
        process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`callsight: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** The SDK client of a running server, with the key from CALLSIGHT_API_KEY. */
function apiClient(base?: string): CallsightClient {
  const apiKey = process.env.CALLSIGHT_API_KEY;
  if (!apiKey) throw new Error('set CALLSIGHT_API_KEY to an API key (callsight apikey create)');
  return new CallsightClient({ baseUrl: base ?? process.env.CALLSIGHT_URL ?? 'http://127.0.0.1:3000', apiKey, WebSocket });
}

async function callCommand(sub: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { from: { type: 'string' }, say: { type: 'string' }, url: { type: 'string' } } });
  if (sub === 'list') {
    const { items } = await apiClient(values.url).calls.list({ limit: 20 });
    for (const c of items) process.stdout.write(`${c.id} ${c.direction.padEnd(8)} ${c.state.padEnd(8)} ${c.from} → ${c.to}${c.endCause ? ` (${c.endCause})` : ''}\n`);
    return 0;
  }
  const [arg] = positionals;
  if (!arg) throw new Error(sub === 'dial' ? 'usage: callsight call dial <to>' : 'usage: callsight call hangup <call id>');
  if (sub === 'hangup') {
    await apiClient(values.url).calls.hangup(arg);
    return 0;
  }
  const call = await apiClient(values.url).calls.originate({ to: arg, ...(values.from ? { from: values.from } : {}), ...(values.say ? { verbs: [{ verb: 'say', text: values.say }] } : {}) });
  process.stdout.write(`${call.id}\n`);
  return 0;
}

async function tailEvents(v: Record<string, string | undefined>): Promise<number> {
  const stream = apiClient(v.url).realtime({ types: v.types?.split(',').filter(Boolean), interactionId: v.interaction });
  return new Promise((resolve, reject) => {
    let opened = false;
    stream.on('open', () => (opened = true));
    stream.on('event', (event) => process.stdout.write(JSON.stringify(event) + '\n'));
    // Once streaming, the stream reconnects by itself; failing to connect at all (a bad key, no server) ends the command.
    stream.on('error', (err) => {
      if (opened) return;
      stream.close();
      reject(err);
    });
    stream.on('close', (info) => {
      if (!info.willReconnect) resolve(0);
    });
    process.on('SIGINT', () => stream.close());
  });
}
