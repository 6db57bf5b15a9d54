import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../core/private-files.js';
import type { Feature } from '../core/feature.js';
import { Registrar, RequestAuthenticator, SipEndpoint } from '../sip/ua/index.js';
import { InboundTrust } from './inbound-trust.js';
import { CallManager } from './call-manager.js';
import { CallRepo } from './call-repo.js';
import { callRoutes } from './call-routes.js';
import { flowRoutes } from './flow-routes.js';
import { myCallRoutes } from './my-call-routes.js';
import { FlowRepo } from './flows/flow-repo.js';
import { MediaEngine } from './media-engine.js';
import { registerTranscodeMetrics } from '../media/transcode-metrics.js';
import { NumberRepo } from './number-repo.js';
import { RegistrationRepo } from './registration-repo.js';
import { SipAccountRepo } from './sip-account-repo.js';
import { sipRoutes } from './sip-routes.js';
import { seedDemoTelephony } from './demo-telephony.js';
import type { Telephony } from './telephony.js';
import { TrunkRepo } from './trunk-repo.js';
import { OutboundGuard } from './outbound-guard.js';
import { OutboundDialLog } from './outbound-dial-log.js';
import { TrunkRegistrations } from './trunk-registrations.js';
import { OutboundPolicyRepo } from './outbound-policy-repo.js';
import { outboundPolicyRoutes } from './outbound-policy-routes.js';

/**
 * The telephony core: a SIP endpoint (UDP/TCP/TLS/WS), the registrar, the media
 * engine and the call manager, plus their API. Other features declare
 * `needs: ['telephony']` (or `uses`) and reach it through `ctx.services.get('telephony')`.
 */
export const telephonyFeature: Feature = {
  name: 'telephony',
  provides: ['telephony', 'outbound'],
  uses: ['appPhones'],
  async setup(ctx, { routes, services, verbs, callHooks }) {
    const { config } = ctx;
    await routes.register(async (app) => {
      await callRoutes(app, ctx, verbs);
      await flowRoutes(app, ctx, verbs);
      await myCallRoutes(app, ctx);
      await sipRoutes(app, ctx);
      await outboundPolicyRoutes(app, ctx);
    });
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
    if (!config.sipEnabled) {
      for (const name of ['telephony', 'outbound'] as const) services.unavailable(name, 'SIP is disabled (CALLSIGHT_SIP_ENABLED=false)');
      return;
    }

    ensurePrivateDir(path.join(config.dataDir, 'recordings'));
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
      dnsServers: config.sipDnsServers?.split(',').map((e) => e.trim()).filter(Boolean),
      maxMessageSize: config.sipMaxMessageSize,
      maxConnectionsPerAddress: config.sipMaxConnectionsPerAddress,
      maxConnections: config.sipMaxConnections,
      messageTimeoutMs: config.sipMessageTimeoutMs,
      timers: { T1: config.sipT1Ms },
    });
    const media = new MediaEngine({
      rtpPorts: config.rtpPorts,
      bindAddress: config.sipBindHost,
      publicAddress: config.sipPublicHost,
      onError: (err) => log.error({ err }, 'media clock handler failed'),
    });
    registerTranscodeMetrics(ctx.metrics.registry);
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
        registrar
          .handle(req)
          .then(async (result) => {
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
          })
          .catch((err) => {
            log.error({ err }, 'REGISTER failed');
            // The phone still gets an answer when the store failed before one was sent (a no-op after one).
            req.respond(500);
          });
        return;
      }
      if (req.message.method === 'OPTIONS') req.respond(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, UPDATE, REGISTER' } });
      else req.respond(405, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, UPDATE, REGISTER' } });
    });

    services.provide('outbound', new OutboundGuard(ctx, { numbers: repos.numbers, sipAccounts, policies: new OutboundPolicyRepo(ctx.store), dials: new OutboundDialLog(ctx.store) }));
    const trust = new InboundTrust({
      trustedPeers: (config.sipTrustedPeers ?? '').split(',').filter((e) => e.trim() !== ''),
      trunks: repos.trunks,
      accounts: sipAccounts,
      auth: new RequestAuthenticator({
        realm: 'callsight',
        algorithms: config.sipDigestAlgorithms.split(',') as ('MD5' | 'SHA-256')[],
        secret: ctx.secretBox.derive('sip-digest-nonce'),
        credentials: (username) => sipAccounts.credentials(username).then((a) => a ?? null),
      }),
      log,
    });
    const manager = new CallManager(ctx, { endpoint, media, trust, ...repos, hooks: callHooks, verbs });
    manager.start();
    const trunkRegistrations = new TrunkRegistrations({ endpoint, trunks: repos.trunks, log });
    const telephony: Telephony = { endpoint, registrar, media, manager, trunkRegistrations, ...repos };
    services.provide('telephony', telephony);
    log.info({ ports: endpoint.ports }, 'SIP endpoint listening');
    // Not awaited: a carrier that is slow to answer must not hold up the server's start.
    trunkRegistrations.start().catch((err) => log.error({ err }, 'trunk registrations failed to start'));

    return async () => {
      await manager.stop();
      await endpoint.close();
    };
  },
};
