import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_DECISION_THRESHOLDS } from './config-defaults.ts';
import { DEV_DEFAULTS, effectiveReplayWindowS, productionProblems } from './config-production.ts';

/**
 * The one place Helix reads its environment. Parsed once at boot, every problem reported at once, frozen.
 * No secret has a default outside development: production refuses to start without them.
 */

/** Thrown when the environment is invalid; `problems` lists every bad variable, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const probability = z.coerce.number().min(0).max(1);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.join(' or ')} URL`,
    )
    .optional();

// EncodingAESKey: 43 base64 characters that decode (with a trailing '=') to a 32-byte AES key.
const aesKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}$/, 'must be 43 base64 characters (the EncodingAESKey from the WeCom console)');

// A dotted path into the feed's JSON answer (`data.indices.CSI300.close`; array indexes as numbers).
const dottedPath = z
  .string()
  .regex(/^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,15}$/, 'must be a dotted path such as data.asOf');
// Helix variable name → dotted path. The key rule repeats content's `market.<key>` rule: config sits below
// modules and may not import them.
const marketFields = z
  .string()
  .max(8000)
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"csi300":"data.csi300"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string(), z.unknown()).superRefine((m, ctx) => {
      // Checked entry by entry so each bad name or path is reported by name (a record's key error is not).
      if (Object.keys(m).length === 0)
        ctx.addIssue({ code: 'custom', message: 'must map at least one variable' });
      for (const [name, dotted] of Object.entries(m)) {
        if (!/^[a-zA-Z][a-zA-Z0-9]{0,31}$/.test(name))
          ctx.addIssue({
            code: 'custom',
            message: `"${name.slice(0, 40)}" is not a variable name such as csi300`,
          });
        if (!dottedPath.safeParse(dotted).success)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'must be a dotted path such as data.csi300',
          });
      }
    }),
  )
  // Every value was checked to be a dotted path just above.
  .transform((m) => m as Record<string, string>);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // Proxies in front of Helix whose X-Forwarded-For is believed; the client IP limits failed logins.
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  // How answers are held to their route's OpenAPI contract; unset: strict in tests, log elsewhere.
  API_RESPONSE_CHECK: z.enum(['strict', 'log', 'off']).optional(),
  // Where the built ops console is (npm run build:console writes console/dist).
  CONSOLE_DIR: z.string().min(1).optional(),
  // A scraper's bearer token for /metrics; unset outside production leaves /metrics open.
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces')
    .optional(),
  AUTH_FAILURE_LIMIT: int(1, 100_000).default(10),
  AUTH_FAILURE_WINDOW_S: int(1, 24 * 3600).default(300),
  // Console sign-in: how long a session lasts, and the address staff's browsers reach Helix at.
  SESSION_TTL_H: int(1, 24 * 30).default(12),
  PUBLIC_BASE_URL: optionalUrl(['http:', 'https:']),
  // WeCom's sign-in pages (in-app OAuth and PC web login); the built-in emulator serves both.
  WECOM_OAUTH_BASE_URL: optionalUrl(['http:', 'https:']),
  WECOM_SSO_BASE_URL: optionalUrl(['http:', 'https:']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  DATABASE_POOL_MAX: int(1, 200).default(10),
  DATABASE_POOL_MIN: int(0, 200).default(4),
  // A PostgreSQL that stops answering without closing its connections must not hang Helix: every wait on
  // it is bounded. Connect = opening a connection or waiting for a free one in the pool. The client-side
  // query limit is a little longer than the statement limit so the server's clearer error wins.
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(3000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 3600_000).default(15_000),
  DATABASE_QUERY_TIMEOUT_MS: int(100, 3600_000).default(20_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(100, 3600_000).default(60_000),
  DATABASE_KEEPALIVE_DELAY_MS: int(1000, 3600_000).default(10_000),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  REDIS_SERVER_BIN: z.string().min(1).default('redis-server'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_{}-]{1,64}$/, 'letters, digits, : _ - { } only')
    .default('{helix}'),
  HELIX_DATA_DIR: z.string().min(1).default('./.helix'),
  // A dump of a migrated, empty PGlite database that in-memory embedded databases start from (the test
  // suite makes one per run); unset, each runs initdb and every migration.
  PGLITE_SEED_FILE: z.string().min(1).optional(),
  CONTENT_LIBRARY_DIR: z.string().min(1).optional(),
  WECOM_CORP_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a WeCom CorpID such as ww0123456789abcdef')
    .optional(),
  WECOM_AGENT_ID: z
    .string()
    .regex(/^\d{1,12}$/, 'must be the numeric AgentId')
    .optional(),
  WECOM_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1-32 letters or digits')
    .optional(),
  WECOM_ENCODING_AES_KEY: aesKey.optional(),
  WECOM_BOT_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1-32 letters or digits')
    .optional(),
  WECOM_BOT_ENCODING_AES_KEY: aesKey.optional(),
  // Unset: on in production (PRODUCTION_REPLAY_WINDOW_S, see config-production.ts), off elsewhere.
  WECOM_REPLAY_WINDOW_S: int(0, 30 * 24 * 3600).optional(),
  WECOM_SECRET: z.string().min(1).max(256).optional(),
  WECOM_CONTACT_SECRET: z.string().min(1).max(256).optional(),
  // Signs the per-client flash-sale claim links (HMAC-SHA256); required in production like the WeCom secrets.
  FLASH_SALE_LINK_SECRET: z.string().min(16).max(256).optional(),
  // How long a flash sale's cached row and a client's eligibility facts are reused on the claim path.
  FLASH_SALE_CACHE_MS: int(0, 60_000).default(1000),
  WECOM_API_BASE_URL: optionalUrl(['http:', 'https:']),
  // After this many consecutive network errors or timeouts, WeCom calls fail fast for the cool-down.
  WECOM_CIRCUIT_FAILURES: int(1, 1000).default(5),
  WECOM_CIRCUIT_COOLDOWN_MS: int(100, 3600_000).default(10_000),
  WECOM_EMULATOR: z.enum(['auto', 'on', 'off']).default('auto'),
  WECOM_EMULATOR_PORT: int(0, 65535).default(3100),
  CALLBACK_BODY_LIMIT_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  INBOX_DEDUP_RETENTION_S: int(3600, 3650 * 24 * 3600).default(7 * 24 * 3600),
  INBOX_SWEEP_INTERVAL_MS: int(100, 3600_000).default(15_000),
  INBOX_SWEEP_MIN_AGE_MS: int(0, 3600_000).default(10_000),
  INTAKE_BATCH_MAX: int(1, 5000).default(256),
  INTAKE_BATCH_CONCURRENCY: int(1, 64).default(4),
  INTAKE_ENQUEUE_TIMEOUT_MS: int(10, 60_000).default(1000),
  // A callback not stored within this time gets 503 so WeCom retries (WeCom gives up waiting after 5 s);
  // past INTAKE_MAX_PENDING waiting callbacks, new ones get 503 at once, never more memory.
  INTAKE_STORE_TIMEOUT_MS: int(100, 60_000).default(3000),
  INTAKE_MAX_PENDING: int(1, 1_000_000).default(5000),
  JOB_LOCK_DURATION_MS: int(500, 600_000).default(30_000),
  JOB_STALLED_INTERVAL_MS: int(200, 600_000).default(30_000),
  WORKER_CONCURRENCY: int(1, 1000).default(16),
  // The time-critical queue (add events, welcome sends: a welcome code lives 20 s) has its own workers.
  WELCOME_CONCURRENCY: int(1, 1000).default(8),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  // Defaults chosen by cross-validation on development data (docs/faq-retrieval.md).
  FAQ_ANSWER_THRESHOLD: probability.default(DEFAULT_DECISION_THRESHOLDS.answerThreshold),
  FAQ_CLARIFY_THRESHOLD: probability.default(DEFAULT_DECISION_THRESHOLDS.clarifyThreshold),
  FAQ_CLARIFY_MIN_SHARE: probability.default(DEFAULT_DECISION_THRESHOLDS.clarifyMinShare),
  FAQ_CLARIFY_MAX_CANDIDATES: int(2, 5).default(DEFAULT_DECISION_THRESHOLDS.clarifyMaxCandidates),
  FAQ_MAX_QUERY_CHARS: int(10, 1000).default(DEFAULT_DECISION_THRESHOLDS.maxQueryChars),
  // The learning loop's refit of the ranker on approved similar questions ('off': never), and the
  // precision of direct answers (one standard error below its cross-validated estimate) it must keep.
  FAQ_REFIT_CRON: z
    .string()
    .default('20 * * * *')
    .refine((v) => v === 'off' || cron.validate(v), 'must be a cron expression such as "20 * * * *", or off'),
  FAQ_REFIT_PRECISION: z.coerce.number().min(0.5).max(0.999).default(0.95),
  // The optional LLM: any OpenAI-compatible endpoint. Unset, Helix answers from retrieval alone.
  LLM_BASE_URL: optionalUrl(['http:', 'https:']),
  LLM_API_KEY: z.string().min(1).max(500).optional(),
  LLM_MODEL: z.string().min(1).max(100).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: int(50, 30_000).default(1500),
  LLM_MAX_OUTPUT_CHARS: int(50, 4000).default(600),
  // `none`: the endpoint serves embeddings only (an on-premises embedding server without a chat model).
  LLM_FEATURES: z
    .string()
    .regex(
      /^(none|(rewrite|compose)(,(rewrite|compose))*)$/,
      'must be rewrite, compose, rewrite,compose or none',
    )
    .default('rewrite,compose'),
  // Dense similarity from the same endpoint's /embeddings as extra ranker evidence; unset, none.
  LLM_EMBEDDINGS_MODEL: z.string().min(1).max(100).optional(),
  // A query's embedding is on the reply's path: it must be fast, or retrieval goes on without it.
  LLM_EMBEDDINGS_TIMEOUT_MS: int(20, 10_000).default(300),
  // Logit per unit of cosine above the candidates' mean (docs/faq-retrieval.md); 0 turns the evidence off.
  FAQ_DENSE_WEIGHT: z.coerce.number().min(0).max(50).default(3),
  HANDOFF_SLA_MINUTES: int(1, 7 * 24 * 60).default(30),
  HANDOFF_BUSINESS_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM, e.g. 09:00-18:00')
    .default('09:00-18:00'),
  // The working weekdays when no holiday calendar is given. The running service passes the calendar
  // (services.ts), whose Monday–Friday plus holidays and 调休 days then decides instead.
  HANDOFF_BUSINESS_DAYS: z
    .string()
    .regex(/^[1-7](,[1-7])*$/, 'must be weekday numbers, 1 = Monday, e.g. 1,2,3,4,5')
    .default('1,2,3,4,5'),
  HANDOFF_BACKUP_USERID: z.string().min(1).max(64).optional(),
  SCHEDULER_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai'),
  // The morning brief's market.* figures: the bank's HTTP JSON feed or a file, never both; neither leaves
  // sample figures that only development may send.
  MARKET_DATA_URL: optionalUrl(['http:', 'https:']),
  MARKET_DATA_FIELDS: marketFields.optional(),
  MARKET_DATA_AS_OF_FIELD: dottedPath.default('asOf'),
  MARKET_DATA_FILE: z.string().min(1).max(4096).optional(),
  MARKET_DATA_MAX_AGE_MINUTES: int(1, 31 * 24 * 60).default(24 * 60),
  MARKET_DATA_TIMEOUT_MS: int(50, 60_000).default(3000),
  GROUP_RECONCILE_CRON: z
    .string()
    .default('30 2 * * *')
    .refine((v) => cron.validate(v), 'must be a cron expression such as "30 2 * * *"'),
  // The nightly analytics (RM engagement scores, funnel and cohorts, channel profiles, experiments, KOC
  // influence): after the nightly repairs, for the business day just ended.
  ANALYTICS_CRON: z
    .string()
    .default('0 3 * * *')
    .refine((v) => cron.validate(v), 'must be a cron expression such as "0 3 * * *"'),
  // The content calendar: how often the scheduler looks for due occurrences, and what it does after downtime.
  CALENDAR_TICK_CRON: z
    .string()
    .default('* * * * *')
    .refine((v) => cron.validate(v), 'must be a cron expression such as "* * * * *"'),
  CALENDAR_CATCH_UP_MINUTES: int(0, 24 * 60).default(60),
  CALENDAR_MISSED_LOOKBACK_HOURS: int(1, 31 * 24).default(7 * 24),
  // Sending: caps per client, WeCom's own per-recipient cap on mass messages, quiet hours, reminders.
  CAMPAIGN_DAILY_CAP: int(1, 100).default(2),
  CAMPAIGN_WEEKLY_CAP: int(1, 500).default(7),
  WECOM_MASS_MESSAGE_CAP: int(1, 100).default(1),
  WECOM_MASS_MESSAGE_CAP_DAYS: int(1, 31).default(1),
  CAMPAIGN_QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM, e.g. 22:00-08:00')
    .default('22:00-08:00'),
  RM_REMINDERS_PER_DAY: int(0, 3).default(3),
  CAMPAIGN_POLL_INTERVAL_S: int(1, 24 * 3600).default(15 * 60),
  CAMPAIGN_FOLLOW_UP_HOURS: int(1, 7 * 24).default(24),
  CAMPAIGN_REMIND_INTERVAL_MINUTES: int(1, 24 * 60).default(120),
  /** Where an RM's task list opens (the reminder's link); unset, the API path on this server. */
  TASK_LIST_URL: optionalUrl(['http:', 'https:']),
  // Activation (DESIGN §6): which event kinds count, and how long the new-client period lasts.
  ACTIVATION_KINDS: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}(,[a-z][a-z0-9_]{0,31})*$/, 'must be comma-separated snake_case kinds')
    .default('product_purchase,first_deposit'),
  NEW_CLIENT_PERIOD_DAYS: int(1, 3650).default(90),
  // Referral (裂变): the reward, the monthly cap per referrer, and what counts as a suspicious cluster.
  REFERRAL_REWARD_POINTS: int(0, 1_000_000).default(200),
  REFERRAL_MONTHLY_CAP: int(0, 10_000).default(10),
  REFERRAL_CLUSTER_SIZE: int(2, 10_000).default(5),
  REFERRAL_CLUSTER_MINUTES: int(1, 24 * 60).default(10),
  // Churn alerts: an RM whose clients deleted them in a week above this share of the clients they held at
  // its start, and at least this many, is alerted once for that week.
  CHURN_ALERT_RATE: probability.default(0.05),
  CHURN_ALERT_MIN: int(1, 100_000).default(3),
  // A/B experiments: exposed clients every variant needs before a verdict, and the family-wise alpha.
  EXPERIMENT_MIN_EXPOSURES: int(1, 10_000_000).default(100),
  EXPERIMENT_ALPHA: z.coerce.number().gt(0).max(0.5).default(0.05),
  // How long a web process may answer a repeated analytics report from memory (0: never); a recompute or a
  // nightly run invalidates it at once.
  REPORT_CACHE_TTL_S: int(0, 3600).default(60),
});

/** The validated, frozen configuration every composition root receives. */
export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof envSchema>) {
  const dev = env.NODE_ENV !== 'production';
  const pick = (key: keyof typeof DEV_DEFAULTS): string => env[key] ?? (dev ? DEV_DEFAULTS[key] : '');
  const dataDir = path.resolve(env.HELIX_DATA_DIR);
  return {
    env: env.NODE_ENV,
    http: {
      port: env.PORT,
      host: env.HOST,
      trustProxyHops: env.TRUST_PROXY_HOPS,
      callbackBodyLimitBytes: env.CALLBACK_BODY_LIMIT_BYTES,
      /** strict: an answer that breaks its contract becomes a 500; log: sent and logged; off: not checked. */
      responseCheck: env.API_RESPONSE_CHECK ?? (env.NODE_ENV === 'test' ? 'strict' : 'log'),
      /** The built ops console served at /console. */
      consoleDir: path.resolve(env.CONSOLE_DIR ?? fileURLToPath(new URL('../console/dist', import.meta.url))),
    },
    /** Who may scrape /metrics: holders of this bearer token, or anyone when it is unset (never in production). */
    metrics: { token: env.METRICS_TOKEN },
    /** `/api/v1` answers 429 to an IP after `failureLimit` failed authentications within `failureWindowS`. */
    auth: { failureLimit: env.AUTH_FAILURE_LIMIT, failureWindowS: env.AUTH_FAILURE_WINDOW_S },
    /**
     * Staff sign-in with WeCom. Sign-in page URLs unset: WeCom's own, or the built-in emulator when it runs.
     * `publicBaseUrl` unset: taken from the request in development; production refuses to sign in without it.
     */
    signIn: {
      sessionTtlMs: env.SESSION_TTL_H * 3600_000,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      oauthBaseUrl: env.WECOM_OAUTH_BASE_URL,
      ssoBaseUrl: env.WECOM_SSO_BASE_URL,
      secureCookies: env.NODE_ENV === 'production',
    },
    log: { level: env.LOG_LEVEL },
    /** Flash sales: the claim links' HMAC secret, and how long the claim path may reuse a sale's row. */
    flashSales: { linkSecret: pick('FLASH_SALE_LINK_SECRET'), cacheMs: env.FLASH_SALE_CACHE_MS },
    db: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      poolMin: Math.min(env.DATABASE_POOL_MIN, env.DATABASE_POOL_MAX),
      timeouts: {
        connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
        statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
        queryMs: env.DATABASE_QUERY_TIMEOUT_MS,
        idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        keepAliveDelayMs: env.DATABASE_KEEPALIVE_DELAY_MS,
      },
      pgliteDir: path.join(dataDir, 'pglite'),
      pgliteSeedFile: env.PGLITE_SEED_FILE,
    },
    redis: { url: env.REDIS_URL, serverBin: env.REDIS_SERVER_BIN, dataDir: path.join(dataDir, 'redis') },
    queue: {
      prefix: env.QUEUE_PREFIX,
      lockDurationMs: env.JOB_LOCK_DURATION_MS,
      stalledIntervalMs: env.JOB_STALLED_INTERVAL_MS,
      concurrency: env.WORKER_CONCURRENCY,
      /** Concurrency of the time-critical queue's worker, apart from every other queue's. */
      welcomeConcurrency: env.WELCOME_CONCURRENCY,
    },
    dataDir,
    /** Head-office content and policies; by default the `content-library/` shipped with Helix. */
    contentLibraryDir: env.CONTENT_LIBRARY_DIR
      ? path.resolve(env.CONTENT_LIBRARY_DIR)
      : fileURLToPath(new URL('../content-library', import.meta.url)),
    wecom: {
      corpId: pick('WECOM_CORP_ID'),
      agentId: pick('WECOM_AGENT_ID'),
      /** True when no real credentials were given and the dev defaults are in use. */
      usingDevCredentials: dev && !env.WECOM_CORP_ID,
      app: { token: pick('WECOM_TOKEN'), encodingAesKey: pick('WECOM_ENCODING_AES_KEY') },
      bot: { token: pick('WECOM_BOT_TOKEN'), encodingAesKey: pick('WECOM_BOT_ENCODING_AES_KEY') },
      replayWindowS: effectiveReplayWindowS(env.NODE_ENV, env.WECOM_REPLAY_WINDOW_S),
      api: {
        appSecret: pick('WECOM_SECRET'),
        contactSecret: pick('WECOM_CONTACT_SECRET'),
        baseUrl: env.WECOM_API_BASE_URL ?? 'https://qyapi.weixin.qq.com',
        /** The per-process circuit breaker for unreachable WeCom (wecom/client/circuit-breaker.ts). */
        circuit: { failures: env.WECOM_CIRCUIT_FAILURES, cooldownMs: env.WECOM_CIRCUIT_COOLDOWN_MS },
      },
      /**
       * The built-in emulator stands in for WeCom when asked to, or by default when no real credentials and
       * no base URL are configured. Production never starts it.
       */
      emulator: {
        enabled:
          dev &&
          (env.WECOM_EMULATOR === 'on' ||
            (env.WECOM_EMULATOR === 'auto' && !env.WECOM_CORP_ID && !env.WECOM_API_BASE_URL)),
        port: env.WECOM_EMULATOR_PORT,
        /** Where the emulator keeps its corp across restarts; none when the data dir is in memory. */
        stateFile: env.HELIX_DATA_DIR === 'memory://' ? undefined : path.join(dataDir, 'wecom-emulator.json'),
      },
    },
    inbox: {
      dedupRetentionS: env.INBOX_DEDUP_RETENTION_S,
      sweepIntervalMs: env.INBOX_SWEEP_INTERVAL_MS,
      sweepMinAgeMs: env.INBOX_SWEEP_MIN_AGE_MS,
      batchMax: env.INTAKE_BATCH_MAX,
      batchConcurrency: env.INTAKE_BATCH_CONCURRENCY,
      enqueueTimeoutMs: env.INTAKE_ENQUEUE_TIMEOUT_MS,
      storeTimeoutMs: env.INTAKE_STORE_TIMEOUT_MS,
      maxPending: env.INTAKE_MAX_PENDING,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    /** FAQ decision thresholds, chosen on development data (docs/faq-retrieval.md). */
    faq: {
      thresholds: {
        answerThreshold: env.FAQ_ANSWER_THRESHOLD,
        clarifyThreshold: env.FAQ_CLARIFY_THRESHOLD,
        clarifyMinShare: env.FAQ_CLARIFY_MIN_SHARE,
        clarifyMaxCandidates: env.FAQ_CLARIFY_MAX_CANDIDATES,
        maxQueryChars: env.FAQ_MAX_QUERY_CHARS,
      },
      refit: {
        cron: env.FAQ_REFIT_CRON === 'off' ? null : env.FAQ_REFIT_CRON,
        precisionTarget: env.FAQ_REFIT_PRECISION,
      },
    },
    /** The optional LLM (null when LLM_BASE_URL is unset): settings and which steps use it. */
    llm: env.LLM_BASE_URL
      ? {
          settings: {
            baseUrl: env.LLM_BASE_URL,
            // A local OpenAI-compatible server often wants no key; the SDK insists on one.
            apiKey: env.LLM_API_KEY ?? 'none',
            model: env.LLM_MODEL,
            timeoutMs: env.LLM_TIMEOUT_MS,
            maxOutputChars: env.LLM_MAX_OUTPUT_CHARS,
          },
          rewrite: env.LLM_FEATURES.split(',').includes('rewrite'),
          compose: env.LLM_FEATURES.split(',').includes('compose'),
        }
      : null,
    /**
     * Optional dense similarity (null unless LLM_BASE_URL and LLM_EMBEDDINGS_MODEL are set): the embeddings
     * endpoint, with the LLM's URL and key, and the weight of its evidence in the FAQ ranker.
     */
    embeddings:
      env.LLM_BASE_URL && env.LLM_EMBEDDINGS_MODEL
        ? {
            settings: {
              baseUrl: env.LLM_BASE_URL,
              apiKey: env.LLM_API_KEY ?? 'none',
              model: env.LLM_EMBEDDINGS_MODEL,
              timeoutMs: env.LLM_EMBEDDINGS_TIMEOUT_MS,
            },
            denseWeight: env.FAQ_DENSE_WEIGHT,
          }
        : null,
    /** Hand-off SLA: business minutes until a person must take over, and who is told when nobody did. */
    handoff: {
      slaMinutes: env.HANDOFF_SLA_MINUTES,
      businessHours: {
        open: env.HANDOFF_BUSINESS_HOURS.slice(0, 5),
        close: env.HANDOFF_BUSINESS_HOURS.slice(6),
        days: env.HANDOFF_BUSINESS_DAYS.split(',').map(Number),
        timeZone: env.SCHEDULER_TIMEZONE,
      },
      backupUserid: env.HANDOFF_BACKUP_USERID,
    },
    scheduler: {
      timezone: env.SCHEDULER_TIMEZONE,
      groupReconcileCron: env.GROUP_RECONCILE_CRON,
      analyticsCron: env.ANALYTICS_CRON,
    },
    /**
     * Where market.* figures come from: the bank's feed, a file, or neither (sample figures); figures older
     * than `maxAgeMinutes` are not sent.
     */
    marketData: {
      feed:
        env.MARKET_DATA_URL && env.MARKET_DATA_FIELDS
          ? {
              url: env.MARKET_DATA_URL,
              fields: env.MARKET_DATA_FIELDS,
              asOfField: env.MARKET_DATA_AS_OF_FIELD,
              timeoutMs: env.MARKET_DATA_TIMEOUT_MS,
            }
          : null,
      file: env.MARKET_DATA_FILE ? path.resolve(env.MARKET_DATA_FILE) : null,
      maxAgeMinutes: env.MARKET_DATA_MAX_AGE_MINUTES,
    },
    /** The content calendar's ticks, catch-up window and how far back missed occurrences are recorded. */
    calendar: {
      tickCron: env.CALENDAR_TICK_CRON,
      catchUpMs: env.CALENDAR_CATCH_UP_MINUTES * 60_000,
      missedLookbackMs: env.CALENDAR_MISSED_LOOKBACK_HOURS * 3_600_000,
    },
    /** Who may receive calendar content, and how RMs are followed up. */
    campaigns: {
      dailyCap: env.CAMPAIGN_DAILY_CAP,
      weeklyCap: env.CAMPAIGN_WEEKLY_CAP,
      wecomCap: { count: env.WECOM_MASS_MESSAGE_CAP, days: env.WECOM_MASS_MESSAGE_CAP_DAYS },
      quietHours: { start: env.CAMPAIGN_QUIET_HOURS.slice(0, 5), end: env.CAMPAIGN_QUIET_HOURS.slice(6) },
      remindersPerDay: env.RM_REMINDERS_PER_DAY,
      pollIntervalMs: env.CAMPAIGN_POLL_INTERVAL_S * 1000,
      followUpMs: env.CAMPAIGN_FOLLOW_UP_HOURS * 3_600_000,
      remindIntervalMs: env.CAMPAIGN_REMIND_INTERVAL_MINUTES * 60_000,
      // Unset, the API on this host: right for development; a bank sets the console's public URL.
      taskListUrl: env.TASK_LIST_URL ?? `http://localhost:${env.PORT}/api/v1/tasks`,
    },
    /** Which activation event kinds count, and the new-client period in which an event activates. */
    activation: {
      kinds: env.ACTIVATION_KINDS.split(','),
      newClientPeriodMs: env.NEW_CLIENT_PERIOD_DAYS * 86_400_000,
    },
    /** Referral rewards and their anti-fraud limits. */
    referral: {
      rewardPoints: env.REFERRAL_REWARD_POINTS,
      monthlyCap: env.REFERRAL_MONTHLY_CAP,
      cluster: { size: env.REFERRAL_CLUSTER_SIZE, windowMs: env.REFERRAL_CLUSTER_MINUTES * 60_000 },
    },
    /** When a week's client deletions raise a churn alert for an RM. */
    churnAlert: { rate: env.CHURN_ALERT_RATE, min: env.CHURN_ALERT_MIN },
    /** A/B experiment verdicts: minimum exposed clients per variant, and alpha before Bonferroni. */
    experiments: { minExposures: env.EXPERIMENT_MIN_EXPOSURES, alpha: env.EXPERIMENT_ALPHA },
    /** The analytics reports' answers kept in each web process (platform/http/report-cache.ts). */
    reportCache: { ttlMs: env.REPORT_CACHE_TTL_S * 1000, maxBytes: 64 * 1024 * 1024 },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses `env` (default `process.env`) into a frozen Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty string means "unset": shells and .env files commonly export VAR= to clear a value.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string>;
  const parsed = envSchema.safeParse(cleaned);
  // Format errors, production requirements and cross-field rules are all collected before throwing, so an
  // operator fixes everything in one round instead of discovering the next layer after each restart.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`)),
    ...productionProblems(cleaned),
    ...crossFieldProblems(cleaned),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(toConfig(parsed.data));
}

/**
 * Rules that relate two variables. Each field is parsed on its own so a rule still runs when some unrelated
 * variable is malformed; a rule whose own inputs are malformed is skipped (their format error is reported).
 */
function crossFieldProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  const window = envSchema.shape.WECOM_REPLAY_WINDOW_S.safeParse(env.WECOM_REPLAY_WINDOW_S);
  const retention = envSchema.shape.INBOX_DEDUP_RETENTION_S.safeParse(env.INBOX_DEDUP_RETENTION_S);
  if (window.success && retention.success) {
    // Dedup keys must outlive the replay window, or a replayed callback could be processed twice.
    const windowS = effectiveReplayWindowS(env.NODE_ENV, window.data);
    if (windowS > 0 && retention.data <= windowS) {
      problems.push(`INBOX_DEDUP_RETENTION_S must be longer than the replay window (${windowS} s)`);
    }
  }
  // Presence alone decides these; a malformed value's own format error is reported above.
  if (env.MARKET_DATA_URL && env.MARKET_DATA_FILE)
    problems.push('MARKET_DATA_URL and MARKET_DATA_FILE are mutually exclusive: set one market-data source');
  if (env.MARKET_DATA_URL && !env.MARKET_DATA_FIELDS)
    problems.push('MARKET_DATA_FIELDS is required with MARKET_DATA_URL (variable name → path in the answer)');
  if (env.MARKET_DATA_FIELDS && !env.MARKET_DATA_URL)
    problems.push('MARKET_DATA_FIELDS is set but MARKET_DATA_URL is not: the field map applies to the feed');
  if (env.LLM_EMBEDDINGS_MODEL && !env.LLM_BASE_URL)
    problems.push(
      'LLM_EMBEDDINGS_MODEL needs LLM_BASE_URL: embeddings come from that OpenAI-compatible endpoint',
    );
  return problems;
}
