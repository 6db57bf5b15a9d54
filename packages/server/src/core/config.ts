import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { isCidr } from './egress-addresses.js';

/**
 * One typed config object, from env vars and an optional JSON file
 * (CALLSIGHT_CONFIG_FILE). Env wins over the file. Validated once at start so a
 * bad value stops the server with a message naming the variable.
 */
const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  env: z.enum(['development', 'production', 'test']).default('development'),
  httpHost: z.string().min(1).default('0.0.0.0'),
  httpPort: port.default(3000),
  publicUrl: z.string().url().optional(),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres:// or sqlite:')
    .optional(),
  natsUrl: z.string().regex(/^(nats|tls):\/\//, 'must start with nats:// or tls://').optional(),
  natsStream: z.string().regex(/^[A-Za-z0-9_-]+$/).default('CALLSIGHT'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  demoPassword: z.string().min(1).default('demo'),
  seedDemo: z.coerce.boolean().default(true),
  sessionTtlHours: z.coerce.number().positive().default(24 * 7),
  /** How long a branded call's content page (the lockscreen's "See details") stays viewable, from the call. */
  callLinkTtlHours: z.coerce.number().positive().default(72),
  loginMaxAttempts: z.coerce.number().int().positive().default(10),
  webhookTimeoutMs: z.coerce.number().int().positive().default(5000),
  /**
   * CIDRs server-initiated fetches (webhooks, flow verbs, x5u, logos, the SMS gateway)
   * may reach although they are loopback/private/link-local, comma-separated. Unset:
   * none, except loopback in development so the one-machine demo works.
   */
  egressAllow: z
    .string()
    .refine((v) => v.split(',').every((e) => !e.trim() || isCidr(e.trim())), 'must be comma-separated IP addresses or CIDRs (127.0.0.1,10.0.0.0/8)')
    .optional(),
  /**
   * Proxies (CIDRs, comma-separated) whose X-Forwarded-For / -Proto are believed; from
   * anyone else they are ignored and the peer address is the client.
   */
  trustedProxies: z
    .string()
    .refine((v) => v.split(',').every((e) => !e.trim() || isCidr(e.trim())), 'must be comma-separated IP addresses or CIDRs')
    .default(''),
  webDir: z.string().optional(),
  masterKey: z.string().optional(),
  /** The vault's KEKs from the operator (`1:<base64>,2:<base64>,hmac:<base64>`); unset: a key file in the data dir. */
  vaultKeys: z.string().optional(),
  /**
   * STUN/TURN servers handed to browsers for their media (`stun:`, `turn:`, `turns:` URLs,
   * comma-separated). TURN ones get per-user credentials made with `turnSecret`.
   */
  iceServers: z
    .string()
    .refine((v) => v.split(',').every((e) => !e.trim() || /^(stuns?|turns?):[^\s,?]+(\?transport=(udp|tcp))?$/.test(e.trim())), 'must be comma-separated stun:, turn: or turns: URLs (turn:turn.example.com:3478?transport=udp)')
    .optional(),
  /** The TURN server's shared secret (coturn `static-auth-secret`) for TURN REST API credentials. */
  turnSecret: z.string().min(16, 'at least 16 characters').optional(),
  /** How long a TURN credential stays valid. */
  turnTtlSeconds: z.coerce.number().int().min(60).max(7 * 86400).default(86400),
  /** `relay` makes browsers use TURN only (no host or server-reflexive candidates). */
  iceTransportPolicy: z.enum(['all', 'relay']).default('all'),
  /** Readings of saved cards into calls a customer may start per hour (repeats not counted): a stolen session cannot read cards on and on. */
  vaultReadsPerHour: z.coerce.number().int().positive().default(20),
  sipEnabled: z.coerce.boolean().default(true),
  sipBindHost: z.string().min(1).default('0.0.0.0'),
  /** UDP and TCP; 0 picks a free port (tests). */
  sipPort: port.default(5060),
  sipTlsPort: port.optional(),
  sipWsPort: port.optional(),
  /** SIP over secure WebSocket with the TLS certificate (browsers on https pages need it). */
  sipWssPort: port.optional(),
  sipTlsCert: z.string().optional(),
  sipTlsKey: z.string().optional(),
  /** Host put in Via/Contact/SDP: what phones can reach. */
  sipPublicHost: z.string().min(1).default('127.0.0.1'),
  /**
   * Digest challenges offered, most preferred first (RFC 8760). MD5 only by default:
   * deployed phones such as baresip 1.0 (libre) fail registration outright when a
   * SHA-256 challenge is present at all. Set "SHA-256,MD5" where phones are newer.
   */
  sipDigestAlgorithms: z
    .string()
    .regex(/^(MD5|SHA-256)(,(MD5|SHA-256))?$/, 'must be MD5, SHA-256 or both, comma-separated')
    .default('MD5'),
  /**
   * Open server transactions at most (each lingers 32 s on UDP after its answer, RFC 3261
   * 17.2); beyond it new requests get a stateless 503 with Retry-After. 1,000 calls/s of
   * INVITE + BYE keep ~64,000 open.
   */
  sipMaxTransactions: z.coerce.number().int().min(100).default(100_000),
  /**
   * Addresses and CIDRs (comma-separated) whose INVITEs are taken without digest: carriers, PBXs,
   * SBCs. Everyone else must authenticate as a SIP account. Default: loopback outside production
   * (the demo and tests dial from 127.0.0.1), none in production. Trunks' hosts are trusted too.
   */
  sipTrustedPeers: z
    .string()
    .refine((v) => v.split(',').every((e) => e.trim() === '' || isIpOrCidr(e.trim())), 'must be comma-separated IP addresses or CIDRs, e.g. 192.0.2.10,10.1.0.0/16')
    .optional(),
  /** DNS servers (comma-separated `host` or `host:port`) for RFC 3263 lookups of trunks and SIP URIs; default the system's. */
  sipDnsServers: z.string().optional(),
  /** Largest SIP message read on any transport; larger ones get 513 Message Too Large. */
  sipMaxMessageSize: z.coerce.number().int().min(4096).max(1_048_576).default(65535),
  /** Inbound SIP TCP/TLS/WS connections at most from one address, and in total; more are refused. */
  sipMaxConnectionsPerAddress: z.coerce.number().int().min(1).default(100),
  sipMaxConnections: z.coerce.number().int().min(1).default(10_000),
  /** A SIP message on TCP/TLS must arrive whole this long after its first byte, or the connection closes (slowloris). */
  sipMessageTimeoutMs: z.coerce.number().int().min(100).default(10_000),
  /**
   * RFC 3261's T1 (the round-trip estimate every SIP timer is a multiple of; Timer H,
   * giving up on a missing ACK, is 64*T1). 500 ms on the open Internet; a LAN or a
   * test may use less, so a dead peer is noticed sooner.
   */
  sipT1Ms: z.coerce.number().int().min(50).max(5000).default(500),
  rtpPorts: z
    .string()
    .regex(/^\d{4,5}-\d{4,5}$/, 'must look like 20000-29999')
    .default('20000-29999'),
  /** Extra STI-CA root certificates (PEM files) trusted when verifying Identity headers. */
  stiTrustDir: z.string().optional(),
  /** The SMSC (SMPP 3.4): enables SMS and deflection links. */
  smppUrl: z.string().url().regex(/^smpp:\/\//, 'must look like smpp://user:pass@host:2775').optional(),
  /** An HTTP SMS gateway instead of SMPP: messages are POSTed here, signed with `smsWebhookSecret`. */
  smsWebhookUrl: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  /** HMAC-SHA256 key signing outbound and verifying inbound HTTP-gateway requests (at least 16 characters). */
  smsWebhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Default sender of SMS (a number or an alphanumeric id). */
  smsFrom: z.string().min(1).max(20).default('callsight'),
  /** Routing queue of inbound SMS conversations. */
  smsQueue: z.string().min(1).max(100).default('support'),
});

export type Config = z.infer<typeof configSchema>;

function isIpOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
}

const ENV_KEYS: Record<keyof Config, string> = {
  env: 'NODE_ENV',
  httpHost: 'CALLSIGHT_HTTP_HOST',
  httpPort: 'CALLSIGHT_HTTP_PORT',
  publicUrl: 'CALLSIGHT_PUBLIC_URL',
  dataDir: 'CALLSIGHT_DATA_DIR',
  databaseUrl: 'CALLSIGHT_DATABASE_URL',
  natsUrl: 'CALLSIGHT_NATS_URL',
  natsStream: 'CALLSIGHT_NATS_STREAM',
  logLevel: 'CALLSIGHT_LOG_LEVEL',
  demoPassword: 'CALLSIGHT_DEMO_PASSWORD',
  seedDemo: 'CALLSIGHT_SEED_DEMO',
  sessionTtlHours: 'CALLSIGHT_SESSION_TTL_HOURS',
  callLinkTtlHours: 'CALLSIGHT_CALL_LINK_TTL_HOURS',
  loginMaxAttempts: 'CALLSIGHT_LOGIN_MAX_ATTEMPTS',
  webhookTimeoutMs: 'CALLSIGHT_WEBHOOK_TIMEOUT_MS',
  egressAllow: 'CALLSIGHT_EGRESS_ALLOW',
  trustedProxies: 'CALLSIGHT_TRUSTED_PROXIES',
  webDir: 'CALLSIGHT_WEB_DIR',
  masterKey: 'CALLSIGHT_MASTER_KEY',
  vaultKeys: 'CALLSIGHT_VAULT_KEYS',
  vaultReadsPerHour: 'CALLSIGHT_VAULT_READS_PER_HOUR',
  stiTrustDir: 'CALLSIGHT_STI_TRUST_DIR',
  iceServers: 'CALLSIGHT_ICE_SERVERS',
  turnSecret: 'CALLSIGHT_TURN_SECRET',
  turnTtlSeconds: 'CALLSIGHT_TURN_TTL_SECONDS',
  iceTransportPolicy: 'CALLSIGHT_ICE_TRANSPORT_POLICY',
  sipEnabled: 'CALLSIGHT_SIP_ENABLED',
  sipBindHost: 'CALLSIGHT_SIP_BIND_HOST',
  sipPort: 'CALLSIGHT_SIP_PORT',
  sipTlsPort: 'CALLSIGHT_SIP_TLS_PORT',
  sipWsPort: 'CALLSIGHT_SIP_WS_PORT',
  sipWssPort: 'CALLSIGHT_SIP_WSS_PORT',
  sipTlsCert: 'CALLSIGHT_SIP_TLS_CERT',
  sipTlsKey: 'CALLSIGHT_SIP_TLS_KEY',
  sipPublicHost: 'CALLSIGHT_SIP_PUBLIC_HOST',
  sipDigestAlgorithms: 'CALLSIGHT_SIP_DIGEST_ALGORITHMS',
  sipMaxTransactions: 'CALLSIGHT_SIP_MAX_TRANSACTIONS',
  sipMaxMessageSize: 'CALLSIGHT_SIP_MAX_MESSAGE_SIZE',
  sipTrustedPeers: 'CALLSIGHT_SIP_TRUSTED_PEERS',
  sipDnsServers: 'CALLSIGHT_SIP_DNS_SERVERS',
  sipMaxConnectionsPerAddress: 'CALLSIGHT_SIP_MAX_CONNECTIONS_PER_ADDRESS',
  sipMaxConnections: 'CALLSIGHT_SIP_MAX_CONNECTIONS',
  sipMessageTimeoutMs: 'CALLSIGHT_SIP_MESSAGE_TIMEOUT_MS',
  sipT1Ms: 'CALLSIGHT_SIP_T1_MS',
  rtpPorts: 'CALLSIGHT_RTP_PORTS',
  smppUrl: 'CALLSIGHT_SMPP_URL',
  smsWebhookUrl: 'CALLSIGHT_SMS_WEBHOOK_URL',
  smsWebhookSecret: 'CALLSIGHT_SMS_WEBHOOK_SECRET',
  smsFrom: 'CALLSIGHT_SMS_FROM',
  smsQueue: 'CALLSIGHT_SMS_QUEUE',
};

const BOOLEAN_KEYS = new Set(['seedDemo', 'sipEnabled']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  let fromFile: Record<string, unknown> = {};
  if (env.CALLSIGHT_CONFIG_FILE) {
    try {
      fromFile = JSON.parse(readFileSync(env.CALLSIGHT_CONFIG_FILE, 'utf8'));
    } catch (err) {
      throw new ConfigError(`CALLSIGHT_CONFIG_FILE: cannot read ${env.CALLSIGHT_CONFIG_FILE}: ${(err as Error).message}`);
    }
  }
  const raw: Record<string, unknown> = { ...fromFile };
  for (const [key, name] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = BOOLEAN_KEYS.has(key) ? value !== 'false' && value !== '0' : value;
  }
  if (raw.env && !['development', 'production', 'test'].includes(String(raw.env))) raw.env = 'development';
  const parsed = configSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof Config;
      return `  ${ENV_KEYS[key] ?? key}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  // Signing is not optional: an unsigned gateway would let anyone inject SMS.
  if (config.smsWebhookUrl && !config.smsWebhookSecret) throw new ConfigError('invalid configuration:\n  CALLSIGHT_SMS_WEBHOOK_SECRET: required with CALLSIGHT_SMS_WEBHOOK_URL');
  // A TLS listener without its certificate would silently not start.
  for (const k of ['sipTlsPort', 'sipWssPort'] as const) {
    if (config[k] !== undefined && !(config.sipTlsCert && config.sipTlsKey)) {
      throw new ConfigError(`invalid configuration:\n  ${ENV_KEYS[k]}: needs CALLSIGHT_SIP_TLS_CERT and CALLSIGHT_SIP_TLS_KEY`);
    }
  }
  // TURN without credentials, or relay-only without TURN, would fail every browser call.
  const ice = (config.iceServers ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (ice.some((u) => u.startsWith('turn')) && !config.turnSecret) throw new ConfigError('invalid configuration:\n  CALLSIGHT_ICE_SERVERS: turn: URLs need CALLSIGHT_TURN_SECRET');
  if (config.iceTransportPolicy === 'relay' && !ice.some((u) => u.startsWith('turn'))) throw new ConfigError('invalid configuration:\n  CALLSIGHT_ICE_TRANSPORT_POLICY: relay needs a turn: or turns: URL in CALLSIGHT_ICE_SERVERS');
  if (config.env === 'production' && config.seedDemo && !env.CALLSIGHT_DEMO_PASSWORD) {
    // A well-known default password must never reach a production deployment.
    config.seedDemo = false;
  }
  if (config.env === 'production' && config.demoPassword === 'demo') config.seedDemo = false;
  config.dataDir = path.resolve(config.dataDir);
  if (config.egressAllow === undefined) config.egressAllow = config.env === 'development' ? '127.0.0.0/8,::1' : '';
  config.sipTrustedPeers ??= config.env === 'production' ? '' : '127.0.0.0/8,::1';
  return config;
}
