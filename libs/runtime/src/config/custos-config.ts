import { isValidCidr } from '@custos/domain';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const pepperEntry = z.string().regex(/^[A-Za-z0-9_-]{1,32}:.{32,}$/, 'expected "<keyId>:<secret of 32+ characters>"');

/**
 * Every setting Custos reads from the environment. There are no default secrets: a missing or invalid
 * variable stops the process with a message naming it (the embedded mode generates and persists its own).
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  /** Owner role for migrations; defaults to DATABASE_URL. */
  DATABASE_MIGRATION_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected a redis:// URL').default('redis://127.0.0.1:6379'),
  /**
   * Where the job queues run. `redis` (the default, for production): BullMQ on REDIS_URL, with token-cache
   * invalidation over Redis pub/sub and rate limits shared in Redis. `postgres`: BullMQ's PostgreSQL backend
   * on DATABASE_URL, invalidation over LISTEN/NOTIFY and rate limits counted by each instance; what `npm
   * start` picks on a machine without Redis.
   */
  CUSTOS_QUEUE_BACKEND: z.enum(['redis', 'postgres']).default('redis'),
  CUSTOS_MIGRATE_ON_START: bool.default(true),
  CUSTOS_TOKEN_PEPPER: z.string().min(32, 'must be at least 32 characters of random data'),
  CUSTOS_TOKEN_PEPPER_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('p1'),
  /** Older peppers still accepted for verification: "id:secret,id:secret". */
  CUSTOS_TOKEN_PEPPERS_PREVIOUS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(pepperEntry)),
  /** Key for the secrets Custos must read back (webhook signing secrets, successor tokens awaiting pickup). */
  CUSTOS_MASTER_KEY: z.string().min(32, 'must be at least 32 characters of random data'),
  CUSTOS_ADMIN_EMAIL: z.string().email().optional(),
  CUSTOS_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /**
   * The tenant whose owners and admins run the installation: they alone see the queue dashboard, which
   * spans every tenant. Defaults to the tenant bootstrapped from CUSTOS_ADMIN_EMAIL (in embedded mode,
   * the first sign-up), never another self-signup.
   */
  CUSTOS_OPERATOR_TENANT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  CUSTOS_ORG_NAME: z.string().min(1).max(200).default('Default'),
  /** The mail server invitations are sent through (smtp://user:pass@host:587, smtps://...). Unset: nothing is sent; the inviter shares the link. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
  /** The sender of the e-mails Custos sends. */
  CUSTOS_MAIL_FROM: z.string().min(3).max(200).default('Custos <custos@localhost>'),
  CUSTOS_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(12 * 3600),
  CUSTOS_COOKIE_SECURE: bool.optional(),
  /**
   * Where people reach this installation (scheme, host, port; no path), e.g. https://custos.example.com:
   * the links Custos hands out (invitations) and the SSO redirect URI registered at every IdP (this plus
   * /v1/auth/sso/callback). Unset: taken from each request (its Host and, behind CUSTOS_TRUSTED_PROXIES,
   * X-Forwarded-Proto).
   */
  CUSTOS_PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\/[^/?#]+\/?$/.test(v), 'expected an http(s) origin without a path, e.g. https://custos.example.com')
    .transform((v) => v.replace(/\/$/, ''))
    .optional(),
  /** Lets SSO issuers use plain http (a local test IdP). Off in production: the IdP's answers would travel unprotected. */
  CUSTOS_SSO_ALLOW_HTTP_ISSUERS: bool.default(false),
  /** Sign-up and log-in requests per client address per minute, counted in Redis for every api instance. */
  CUSTOS_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Leak reports (POST /v1/leaks, no credentials) per client address per minute. */
  CUSTOS_LEAK_REPORT_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /**
   * Where GitHub's secret scanning public keys are read from (JSON `{ public_keys: [...] }`), to check the
   * signature of its leak reports. Operator configuration, so a loopback URL is allowed.
   */
  CUSTOS_GITHUB_SCANNING_KEYS_URL: z.string().url().default('https://api.github.com/meta/public_keys/secret_scanning'),
  /** Wrong passwords in a row for one account from one address before that address must wait. */
  CUSTOS_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** The first such wait in seconds; each further one of the same account and address within a day doubles it, up to an hour. */
  CUSTOS_LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Wrong passwords for one account per hour, all addresses together, after which only addresses it signed in from before may try. */
  CUSTOS_LOGIN_ACCOUNT_FAILURE_LIMIT: z.coerce.number().int().min(1).default(50),
  /** Wrong passwords from one address per day, all accounts together, after which it must wait out the day. */
  CUSTOS_LOGIN_ADDRESS_FAILURE_LIMIT: z.coerce.number().int().min(1).default(100),
  /** No log-in answer leaves sooner than this, so its timing tells nothing about the account. */
  CUSTOS_LOGIN_MIN_RESPONSE_MS: z.coerce.number().int().min(0).max(5000).default(250),
  /**
   * Reverse proxies (load balancers) in front of the api, as addresses and CIDRs separated by commas:
   * only from them are X-Forwarded-For and X-Forwarded-Proto believed, and the client is the right-most
   * address of the chain that is not one of them. Unset: none, the socket's peer is the client.
   */
  CUSTOS_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .refine((entries) => entries.every((e) => isValidCidr(e) && !e.includes('%')), 'expected IP addresses or CIDRs separated by commas, e.g. 10.0.0.0/8,192.0.2.7'),
  /** A country-level MMDB file to locate client addresses with, instead of the one bundled (docs/configuration.md#geolocation). */
  /** An MMDB country database replacing the bundled one; `off`: no lookups (every use has no country). */
  CUSTOS_GEOIP_DB: z.string().min(1).optional(),
  /** `off`: no usage events are recorded (the usage API and charts stay empty); for a deployment that must keep none. */
  CUSTOS_USAGE_EVENTS: z.enum(['on', 'off']).default('on'),
  CUSTOS_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  CUSTOS_VERIFY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(30_000),
  /** How long the events feed keeps a tenant's events for clients that resume (Last-Event-ID); older resume points get a reset. */
  CUSTOS_FEED_RETENTION_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(3600),
  /**
   * How often usage is written: the usage events buffered since the last write, and the tokens' use
   * counters. After a crash at most this much of usage is lost.
   */
  CUSTOS_USAGE_FLUSH_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
  /** The most usage events an api instance holds while Postgres cannot take them; past it new events are dropped and counted. */
  CUSTOS_USAGE_BUFFER_MAX: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  CUSTOS_DASHBOARD_DIR: z.string().optional(),
  /**
   * Passkeys (WebAuthn): the origins the dashboard is served from, as the browser shows them, separated by
   * commas (e.g. https://custos.example.com). A passkey signs for its origin and relying party, so these must
   * be exactly what people open. Unset: http://localhost:<PORT>, for a first run on one machine.
   */
  CUSTOS_WEBAUTHN_ORIGIN: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .refine((origins) => !origins || origins.every((o) => /^https?:\/\/[^/?#\s]+$/.test(o)), 'expected origins like https://custos.example.com, separated by commas (no path)'),
  /** Passkeys: the relying party id, a domain the origins are on (passkeys are bound to it). Unset: the first origin's host name. */
  CUSTOS_WEBAUTHN_RP_ID: z.string().regex(/^[a-z0-9.-]+$/i, 'expected a domain such as custos.example.com').optional(),
  /** Passkeys: the name authenticators show for this relying party. */
  CUSTOS_WEBAUTHN_RP_NAME: z.string().min(1).max(64).default('Custos'),
  CUSTOS_AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** How often the worker expires due tokens, ends grace periods and runs scheduled rotations. */
  CUSTOS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often the worker sends "expiring soon" notices and checks for unused tokens (day-scale deadlines). */
  CUSTOS_NOTICE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * The longest a tenant's audit chain head that moved stays without a signed checkpoint: the worker
   * signs one once the latest is this old (docs/audit-chain.md#what-a-checkpoint-protects); 0 turns this
   * rule off.
   */
  CUSTOS_CHECKPOINT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
    .default(300_000),
  /**
   * The most audit events a tenant's chain grows past its latest signed checkpoint before the worker
   * signs another (within CUSTOS_AUDIT_SEAL_INTERVAL_MS); 0 turns this rule off. With both rules off,
   * checkpoints are only signed on demand and by exports.
   */
  CUSTOS_CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(0).default(1000),
  /** Age in days at which the worker replaces a tenant's signing key; old public keys stay in the JWKS. */
  CUSTOS_SIGNING_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How often the worker evaluates the alert rules on the usage events written since (docs/alerts.md). */
  CUSTOS_ALERT_INTERVAL_MS: z.coerce.number().int().min(50).default(250),
  /** How often the worker sends due webhook deliveries (new ones and retries). */
  CUSTOS_WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
  /** Wait after a webhook's first failed attempt; each further failure doubles it (jittered, capped at 6 h). */
  CUSTOS_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  /** Attempts per delivery, the first included, before it is marked failed. */
  CUSTOS_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  /** How long one attempt may take, connecting included, before it counts as failed. */
  CUSTOS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Lets webhooks target loopback, private and other non-public addresses, over plain http too. Off in
   * production: on, anyone who may create a webhook can make Custos send requests into your network.
   */
  CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
  /**
   * The namespace of every Redis key, queue and channel of this installation; keep the {hash tag} so the
   * keys stay in one Redis Cluster slot. Unset: derived from the database's installation id at start-up,
   * so installations sharing a Redis never meet there.
   */
  CUSTOS_QUEUE_PREFIX: z.string().regex(/^\{[A-Za-z0-9_:-]+\}$/, 'expected a hash-tagged prefix like {custos}').optional(),
  /**
   * Starts even when DATABASE_URL logs in as a superuser or BYPASSRLS role with NODE_ENV=production
   * (tenant isolation then rests on each transaction switching to custos_app).
   */
  CUSTOS_ALLOW_SUPERUSER_DB: bool.default(false),
  /**
   * Set by the launcher alone when it serves its embedded database (PGlite, superuser only, reachable by
   * the machine account that runs it): the first sign-up runs the installation, and the superuser login
   * is expected.
   */
  CUSTOS_EMBEDDED_DATABASE: bool.default(false),
  /** When set, GET /metrics requires `Authorization: Bearer <this>`. */
  CUSTOS_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters of random data').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Launcher (`npm start`): where the embedded database (pgdata/, socket/) and its generated secrets live. */
  CUSTOS_DATA_DIR: z.string().min(1).default('.custos'),
  /** Launcher: how long api and worker get to stop on a signal before they are killed. */
  CUSTOS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(15_000),
});

export type CustosConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * What the launcher (`npm start`, `npm run db:migrate`) reads itself, before its api and worker read the
 * rest: the same variables and rules as configSchema, except that nothing is required yet (no
 * DATABASE_URL means the embedded database, no REDIS_URL means one on the default port or started for the
 * run, and the embedded mode generates the secrets) and the pool size has no default of its own here.
 */
export const launcherConfigSchema = configSchema
  .pick({
    HOST: true,
    PORT: true,
    DATABASE_MIGRATION_URL: true,
    CUSTOS_ADMIN_EMAIL: true,
    CUSTOS_DATA_DIR: true,
    CUSTOS_SHUTDOWN_TIMEOUT_MS: true,
  })
  .extend({
    DATABASE_URL: configSchema.shape.DATABASE_URL.optional(),
    DATABASE_POOL_SIZE: configSchema.shape.DATABASE_POOL_SIZE.unwrap().optional(),
    REDIS_URL: configSchema.shape.REDIS_URL.unwrap().optional(),
    CUSTOS_QUEUE_BACKEND: configSchema.shape.CUSTOS_QUEUE_BACKEND.unwrap().optional(),
    CUSTOS_TOKEN_PEPPER: configSchema.shape.CUSTOS_TOKEN_PEPPER.optional(),
  });

export type LauncherConfig = z.infer<typeof launcherConfigSchema>;

/**
 * The launcher's settings; throws ConfigError naming each bad variable. An empty variable counts as
 * unset here (`DATABASE_URL=` in an env file means the embedded database), as it always has for `npm start`.
 */
export function loadLauncherConfig(env: NodeJS.ProcessEnv = process.env): LauncherConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  return parse(launcherConfigSchema, given);
}

/** Parses the environment; throws ConfigError naming each bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CustosConfig {
  const config = parse(configSchema, env);
  if ((config.CUSTOS_ADMIN_EMAIL === undefined) !== (config.CUSTOS_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['CUSTOS_ADMIN_EMAIL and CUSTOS_ADMIN_PASSWORD must be set together']);
  }
  return config;
}

function parse<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const given = env[name];
      return given === undefined ? `${name} is required (${issue.message})` : `${name} is invalid: ${issue.message}`;
    }),
  );
}
