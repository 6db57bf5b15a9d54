import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
  loginMaxAttempts: z.coerce.number().int().positive().default(10),
  webhookTimeoutMs: z.coerce.number().int().positive().default(5000),
  webDir: z.string().optional(),
  masterKey: z.string().optional(),
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
  loginMaxAttempts: 'CALLSIGHT_LOGIN_MAX_ATTEMPTS',
  webhookTimeoutMs: 'CALLSIGHT_WEBHOOK_TIMEOUT_MS',
  webDir: 'CALLSIGHT_WEB_DIR',
  masterKey: 'CALLSIGHT_MASTER_KEY',
  stiTrustDir: 'CALLSIGHT_STI_TRUST_DIR',
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
  if (config.env === 'production' && config.seedDemo && !env.CALLSIGHT_DEMO_PASSWORD) {
    // A well-known default password must never reach a production deployment.
    config.seedDemo = false;
  }
  if (config.env === 'production' && config.demoPassword === 'demo') config.seedDemo = false;
  config.dataDir = path.resolve(config.dataDir);
  return config;
}
