/**
 * What production refuses that development allows: missing infrastructure and secrets, the emulator, and
 * any credential that has been published somewhere. Split from config.ts so the schema file stays readable;
 * it works on the raw environment so its problems are reported together with format errors.
 */

/**
 * Dev-only defaults. They exist so `npm start` works on a fresh clone against the built-in emulator;
 * production mode rejects a missing value instead of falling back to these.
 */
export const DEV_DEFAULTS = {
  WECOM_CORP_ID: 'wwhelixdev00000001',
  WECOM_AGENT_ID: '1000002',
  WECOM_TOKEN: 'helixDevToken',
  WECOM_ENCODING_AES_KEY: 'aGVsaXhEZXZFbmNvZGluZ0FFU0tleTAxMjM0NTY3ODk',
  WECOM_BOT_TOKEN: 'helixDevBotToken',
  WECOM_BOT_ENCODING_AES_KEY: 'aGVsaXhEZXZCb3RFbmNvZGluZ0FFU0tleTAxMjM0NTY',
  WECOM_SECRET: 'helixDevAppSecret',
  WECOM_CONTACT_SECRET: 'helixDevContactSecret',
  FLASH_SALE_LINK_SECRET: 'helixDevFlashSaleLinkSecret',
} as const;

/**
 * Credentials anyone can read: our dev defaults, our test credentials, and the sample keys Tencent publishes
 * with WXBizMsgCrypt (developer.work.weixin.qq.com/document/path/90968) and the WeChat MP test key. Someone
 * copying a working example into production would otherwise run with a key an attacker can look up.
 */
const PUBLISHED_VALUES: ReadonlySet<string> = new Set([
  ...Object.values(DEV_DEFAULTS).filter((v) => v !== DEV_DEFAULTS.WECOM_AGENT_ID),
  // tests/helpers/infra.ts (Tencent's WeCom sample corp, token and key, and our bot test pair).
  'ww1436e0e65a779aee',
  'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  'helixTestBotToken',
  'aGVsaXhUZXN0Qm90RW5jb2RpbmdBRVNLZXkwMTIzNDU',
  // The WXBizMsgCrypt samples in every language.
  'wx5823bf96d3bd56c7',
  'QDG6eK',
  'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  // The public WeChat MP encrypt test (docs/wecom.md).
  'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  'wxb11529c136998cb6',
]);

/** Variables checked against the published values: every secret, and the corp id that comes with them. */
const CREDENTIAL_VARS = [
  'WECOM_CORP_ID',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
  'WECOM_BOT_TOKEN',
  'WECOM_BOT_ENCODING_AES_KEY',
  'WECOM_SECRET',
  'WECOM_CONTACT_SECRET',
  'FLASH_SALE_LINK_SECRET',
  'LLM_API_KEY',
  'METRICS_TOKEN',
] as const;

/**
 * The replay window production uses when WECOM_REPLAY_WINDOW_S is unset. WeCom waits 5 s for an answer and
 * retries about three times (docs/wecom.md; "接收消息与事件", developer.work.weixin.qq.com/document/path/90238,
 * formerly work.weixin.qq.com/api/doc/10514), so a genuine delivery arrives within roughly 20 s of its
 * timestamp. Ten minutes leaves a wide margin for clock skew and queueing at WeCom during incidents while
 * still bounding how long a captured callback can be replayed; dedup keys (7 days) cover the window itself.
 */
export const PRODUCTION_REPLAY_WINDOW_S = 600;

/** The replay window in effect: the configured one, else on in production and off elsewhere. */
export function effectiveReplayWindowS(nodeEnv: string | undefined, configured: number | undefined): number {
  return configured ?? (nodeEnv === 'production' ? PRODUCTION_REPLAY_WINDOW_S : 0);
}

/** Every production-only problem of the raw environment, one line each, never quoting a value. */
export function productionProblems(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  for (const key of Object.keys(DEV_DEFAULTS)) {
    if (!env[key]) problems.push(`${key} is required in production`);
  }
  if (!env.DATABASE_URL) problems.push('DATABASE_URL is required in production (PGlite is for dev)');
  if (!env.REDIS_URL) problems.push('REDIS_URL is required in production');
  if (!env.METRICS_TOKEN) {
    problems.push('METRICS_TOKEN is required in production (Prometheus scrapes /metrics with it)');
  }
  if (env.WECOM_EMULATOR === 'on') problems.push('WECOM_EMULATOR cannot be on in production');
  for (const key of CREDENTIAL_VARS) {
    const value = env[key];
    if (value && PUBLISHED_VALUES.has(value.trim())) {
      problems.push(
        `${key} is a published development or sample value; use the bank's own (the value is not shown)`,
      );
    }
  }
  return problems;
}
