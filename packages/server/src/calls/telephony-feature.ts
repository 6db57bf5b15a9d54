import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../app-context.js';
import type { Feature } from '../features.js';
import { Registrar, SipEndpoint } from '../sip/ua/index.js';
import { CallManager } from './call-manager.js';
import { CallRepo } from './call-repo.js';
import { callRoutes } from './call-routes.js';
import { flowRoutes } from './flow-routes.js';
import { myCallRoutes } from './my-call-routes.js';
import { FlowRepo } from './flows/flow-repo.js';
import { MediaEngine } from './media-engine.js';
import { NumberRepo } from './number-repo.js';
import { RegistrationRepo } from './registration-repo.js';
import { SipAccountRepo } from './sip-account-repo.js';
import { sipRoutes } from './sip-routes.js';
import { seedDemoTelephony } from './demo-telephony.js';
import type { Telephony } from './telephony.js';
import { TrunkRepo } from './trunk-repo.js';
import './call-events.js';

/**
 * The telephony core: a SIP endpoint (UDP/TCP/TLS/WS), the registrar, the media
 * engine and the call manager, plus their API. Other features reach it through
 * `ctx.services.get('telephony')`.
 */
export const telephonyFeature: Feature = {
  name: 'telephony',
  routes: async (app, ctx) => {
    await callRoutes(app, ctx);
    await flowRoutes(app, ctx);
    await myCallRoutes(app, ctx);
    await sipRoutes(app, ctx);
  },
  async start(ctx: AppContext) {
    const { config } = ctx;
    const sipAccounts = new SipAccountRepo(ctx.store, ctx.secretBox);
    const repos = {
      calls: new CallRepo(ctx.store),
      flows: new FlowRepo(ctx.store),
      numbers: new NumberRepo(ctx.store),
      sipAccounts,
      registrations: new RegistrationRepo(ctx.store, sipAccounts),
      trunks: new TrunkRepo(ctx.store, ctx.secretBox),
    };
    if (config.seedDemo) await seedDemoTelephony(ctx, repos);
    if (!config.sipEnabled) return;

    await mkdir(path.join(config.dataDir, 'recordings'), { recursive: true });
    // With one process, calls left "live" by a crash have no media any more.
    if (ctx.bus.kind === 'memory') await repos.calls.endOrphans('server_restart');

    const log = ctx.log.child({ component: 'sip' });
    const tls =
      (config.sipTlsPort !== undefined || config.sipWssPort !== undefined) && config.sipTlsCert && config.sipTlsKey
        ? { cert: await readFile(config.sipTlsCert), key: await readFile(config.sipTlsKey) }
        : undefined;
    const endpoint = await SipEndpoint.start({
      bindHost: config.sipBindHost,
      port: config.sipPort,
      tlsPort: tls ? config.sipTlsPort : undefined,
      tls,
      wsPort: config.sipWsPort,
      wssPort: tls ? config.sipWssPort : undefined,
      publicHost: config.sipPublicHost,
      log,
      userAgent: 'callsight',
      maxServerTransactions: config.sipMaxTransactions,
    });
    const media = new MediaEngine({
      rtpPorts: config.rtpPorts,
      bindAddress: config.sipBindHost,
      publicAddress: config.sipPublicHost,
      onError: (err) => log.error({ err }, 'media clock handler failed'),
    });
    const registrar = new Registrar({
      realm: 'callsight',
      algorithms: config.sipDigestAlgorithms.split(',') as ('MD5' | 'SHA-256')[],
      secret: ctx.secretBox.derive('sip-digest-nonce'),
      store: repos.registrations,
      credentials: async (_realm, username) => {
        const account = await sipAccounts.credentials(username);
        return account ? { password: account.password } : null;
      },
    });
    endpoint.on('request', (req) => {
      if (req.message.method === 'REGISTER') {
        void registrar.handle(req).then(async (result) => {
          if (result.status !== 200 || !result.aor) return;
          const account = await sipAccounts.credentials(result.aor.replace(/^sips?:/, '').split('@')[0]);
          for (const b of result.bindings ?? []) {
            if (!account) continue;
            await ctx.bus.publish({
              tenantId: account.tenantId,
              type: 'sip.registered',
              data: { aor: result.aor, contact: b.contact, expires: Math.round((b.expiresAt - Date.now()) / 1000) },
            });
          }
        }, (err) => log.error({ err }, 'REGISTER failed'));
        return;
      }
      if (req.message.method === 'OPTIONS') req.respond(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, UPDATE, REGISTER' } });
      else req.respond(405, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, UPDATE, REGISTER' } });
    });

    const manager = new CallManager(ctx, { endpoint, media, ...repos });
    manager.start();
    const telephony: Telephony = { endpoint, registrar, media, manager, ...repos };
    ctx.services.provide('telephony', telephony);
    log.info({ ports: endpoint.ports }, 'SIP endpoint listening');

    return async () => {
      await manager.stop();
      await endpoint.close();
    };
  },
};
