import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { RISK_LEVELS, type RiskLevel } from '../modules/compliance/compliance.rules.ts';
import { formatProblem } from '../modules/content/content-library.ts';
import { parseFaqUpload } from '../modules/faq/faq-import.parser.ts';
import { createTokenService } from '../platform/auth/tokens.ts';
import { systemClock } from '../platform/clock.ts';
import { openDatabase } from '../platform/db/client.ts';
import { ROLES, type Role } from '../platform/db/schema.ts';
import { AppError } from '../platform/errors.ts';
import { createLogger, type Log } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { createRedis } from '../platform/redis/connection.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';
import { lintConfiguredHolidays, lintConfiguredLibrary } from './content-wiring.ts';
import { createConfiguredSmartService } from './faq-wiring.ts';
import { createProfileImportWiring } from './profile-import-wiring.ts';
import { createReferralWiring } from './referral-wiring.ts';
import { type ProcessRole, type RunningHelix, runHelix } from './run.ts';
import {
  createConfiguredWecomCircuits,
  createWecomClients,
  startConfiguredEmulator,
} from './wecom-runtime.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
/** The most a command reads from stdin. */
const STDIN_LIMIT_BYTES = 1024 * 1024;
const fail = (message: string): never => {
  process.stderr.write(`helix: ${message}\n`);
  process.exit(1);
};

/**
 * Loads the config and a logger. Long-running roles log to stdout; one-shot commands log to stderr, so
 * their stdout carries only their result and can be piped.
 */
function boot(logTo: 'stdout' | 'stderr' = 'stderr'): { config: Config; log: Log } {
  try {
    const config = loadConfig();
    const destination = logTo === 'stderr' ? pino.destination(2) : undefined;
    return {
      config,
      log: createLogger({ level: config.log.level, ...(destination ? { destination } : {}) }),
    };
  } catch (err) {
    if (err instanceof ConfigError) return fail(`refusing to start, ${err.message}`);
    throw err;
  }
}

async function withDatabase<T>(
  config: Config,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
) {
  const database = await openDatabase({
    url: config.db.url,
    pgliteDir: config.db.pgliteDir,
    poolMax: 2,
    timeouts: config.db.timeouts,
  });
  try {
    await database.migrate();
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function runRole(role: ProcessRole) {
  const { config, log } = boot('stdout');
  if (config.wecom.usingDevCredentials) {
    log.warn('no WeCom credentials configured: using development defaults (never use these in production)');
  }
  // Signals are handled from the first moment: a SIGTERM during start-up must not kill the process before
  // it can stop what it already started (its local redis-server, the emulator).
  let running: RunningHelix | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs * 2);
    force.unref();
    if (running) void running.shutdown().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  running = await runHelix(config, log, role).catch((err: unknown) => {
    log.fatal({ err }, 'failed to start');
    return fail(err instanceof Error ? err.message : String(err));
  });
  if (stopping) await running.shutdown().then(() => process.exit(0));
}

const role = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
};

const DURATION_UNITS_S = { m: 60, h: 3600, d: 86_400 } as const;

/** `--expires-in`: a positive whole number of minutes, hours or days, such as 90d, 12h or 30m. */
const duration = (value: string): number => {
  const m = /^(\d{1,6})([mhd])$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * DURATION_UNITS_S[m[2] as keyof typeof DURATION_UNITS_S] : 0;
  if (seconds <= 0 || seconds > 10 * 365 * 86_400) {
    throw new InvalidArgumentError('must be a number with m, h or d (e.g. 90d, 12h), at most 10 years');
  }
  return seconds;
};

/** `--expires-at`: an ISO 8601 date or date-time; a bare date means midnight UTC. */
const instant = (value: string): Date => {
  const d = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())
    ? new Date(value.trim())
    : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('must be an ISO date such as 2026-12-31');
  return d;
};

const program = new Command('helix').description('Helix: private-domain client operations on WeCom');

for (const r of ['web', 'worker', 'scheduler', 'all'] as const) {
  program
    .command(r)
    .description(r === 'all' ? 'run web, worker and scheduler in one process' : `run the ${r} role`)
    .action(() => runRole(r));
}

program
  .command('emulator')
  .description(
    'run the WeCom emulator alone on WECOM_EMULATOR_PORT, with the WECOM_* credentials Helix reads',
  )
  .option('--helix-url <url>', 'where the callback driver sends callbacks (default: this machine on PORT)')
  .action(async (opts: { helixUrl?: string }) => {
    const { config, log } = boot('stdout');
    const helixUrl = opts.helixUrl ?? `http://${config.http.host}:${config.http.port}`;
    const running = await startConfiguredEmulator(config, log, { helixUrl }).catch((err: unknown) =>
      fail(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}`),
    );
    log.info(
      { url: running.url, corpId: config.wecom.corpId, helixUrl },
      `WeCom emulator listening at ${running.url} (API under /cgi-bin, control and inspector under /emulator)`,
    );
    const stop = () => void running.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('import')
  .description('import data files')
  .command('clients <file>')
  .description('import the bank profile feed (CSV with a header, or JSONL); all rows or none')
  .option('--format <format>', 'csv or jsonl (default: from the file extension)')
  .option('--actor <name>', 'who is importing, for the audit log', `cli:${userInfo().username}`)
  .action(async (file: string, opts: { format?: string; actor: string }) => {
    const { config, log } = boot();
    const format = opts.format ?? (/\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv');
    if (format !== 'csv' && format !== 'jsonl') fail(`--format must be csv or jsonl, not ${format}`);
    // Bytes, not 'utf8': the import detects the file's encoding (Excel in China saves GB18030).
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      return fail(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await withDatabase(config, async ({ db }) => {
      const redis = createRedis(config.redis.url ?? 'redis://127.0.0.1:6379', 'general');
      try {
        const metrics = createMetrics();
        const wecom = createWecomClients({
          config,
          baseUrl: config.wecom.api.baseUrl,
          redis,
          log,
          metrics,
          circuits: createConfiguredWecomCircuits({ config, clock: systemClock, log, metrics }),
        });
        // The CLI has no points module wired: a referral the feed activates is marked rewarded only.
        const { activation } = createReferralWiring({
          config,
          db,
          contact: wecom.contact,
          clock: systemClock,
          log,
        });
        const { imports } = createProfileImportWiring({
          config,
          db,
          clock: systemClock,
          log,
          app: wecom.app,
          activation,
        });
        const outcome = await imports.importProfiles({
          file: bytes,
          format: format as 'csv' | 'jsonl',
          fileName: path.basename(file),
          actor: opts.actor,
          via: 'cli',
        });
        if (!outcome.ok) {
          process.stderr.write(
            `helix: ${file}: rejected, nothing was changed (${outcome.problems.length} problem(s)):\n`,
          );
          for (const p of outcome.problems)
            process.stderr.write(`  line ${p.line}: ${p.field}: ${p.message}\n`);
          process.exitCode = 1;
          return;
        }
        out(JSON.stringify(outcome));
      } finally {
        redis.disconnect();
      }
    });
  });

program
  .command('faq')
  .description('the FAQ knowledge base')
  .command('import <file>')
  .description('import FAQ entries (TSV or CSV with a header) as drafts for compliance review; all or none')
  .option('--actor <name>', 'who is importing (the maker)', `cli:${userInfo().username}`)
  .action(async (file: string, opts: { actor: string }) => {
    const { config, log } = boot();
    let bytes = Buffer.alloc(0);
    try {
      bytes = readFileSync(file);
    } catch (err) {
      fail(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = parseFaqUpload(bytes, /\.csv$/i.test(file) ? 'csv' : 'tsv');
    if (!parsed.ok) {
      process.stderr.write(
        `helix: ${file}: rejected, nothing was changed (${parsed.problems.length} problem(s)):\n`,
      );
      for (const p of parsed.problems) process.stderr.write(`  line ${p.line}: ${p.field}: ${p.message}\n`);
      process.exitCode = 1;
      return;
    }
    await withDatabase(config, async ({ db }) => {
      const { faq } = createConfiguredSmartService({
        config,
        db,
        check: createConfiguredChecker(config),
        clock: systemClock,
        log,
        metrics: createMetrics(),
      });
      out(JSON.stringify({ drafts: await faq.importDrafts(parsed.rows, opts.actor) }));
    });
  });

program
  .command('content')
  .description('the head-office content library')
  .command('lint')
  .description('validate every content file: schema, variables, channel limits, compliance, holiday files')
  .action(() => {
    const { config } = boot();
    const library = lintConfiguredLibrary(config);
    const holidays = lintConfiguredHolidays(config);
    for (const p of library.problems) out(formatProblem(p));
    for (const p of holidays.problems) out(`error ${p}`);
    const ok = library.ok && holidays.problems.length === 0;
    out(
      `${library.components.size} components, ${library.personas.size} personas, ${holidays.years} holiday files: ${ok ? 'ok' : 'errors found'}`,
    );
    if (!ok) process.exitCode = 1;
  });

const compliance = program.command('compliance').description('check text against the compliance rules');
compliance
  .command('check')
  .description('check one text read from stdin: banned claims, missing disclosures, personal data')
  .option('--json', 'print one JSON line: {"ok", "findings", "masked"}')
  .option('--risk <level>', `the product risk level the text concerns (${RISK_LEVELS.join(', ')})`)
  .action(async (opts: { json?: boolean; risk?: string }) => {
    const { config } = boot();
    if (opts.risk !== undefined && !(RISK_LEVELS as readonly string[]).includes(opts.risk)) {
      fail(`--risk must be one of ${RISK_LEVELS.join(', ')}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > STDIN_LIMIT_BYTES) fail(`input is over ${STDIN_LIMIT_BYTES} bytes`);
      chunks.push(chunk);
    }
    let text = '';
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      fail('input is not UTF-8 text');
    }
    const result = createConfiguredChecker(config).check(
      text,
      opts.risk ? { productRiskLevel: opts.risk as RiskLevel } : {},
    );
    if (opts.json) {
      // The check itself succeeded: scripts read `ok` from the JSON, so the exit code stays 0.
      out(JSON.stringify(result));
      return;
    }
    out(result.ok ? 'ok' : 'blocked');
    for (const f of result.findings) {
      out(`  [${f.severity}] ${f.kind} ${f.rule} at ${f.span[0]}–${f.span[1]}: ${f.suggestion}`);
    }
    if (!result.ok) process.exitCode = 1;
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const { config } = boot();
    await withDatabase(config, async (d) => out(`migrations applied (${d.kind})`));
  });

const token = program.command('token').description('manage admin API tokens');
token
  .command('create')
  .description('create an API token; the secret is printed once')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
  .option('--name <name>', 'who or what the token is for', 'cli')
  .option('--branch <branch>', 'limit the token to one branch scope')
  .option('--expires-in <duration>', 'the token stops working after this long, e.g. 90d, 12h, 30m', duration)
  .option('--expires-at <date>', 'the token stops working at this ISO date or date-time', instant)
  .action(
    async (opts: { role: Role; name: string; branch?: string; expiresIn?: number; expiresAt?: Date }) => {
      if (opts.expiresIn !== undefined && opts.expiresAt) fail('give --expires-in or --expires-at, not both');
      const now = systemClock.now();
      const expiresAt =
        opts.expiresAt ??
        (opts.expiresIn !== undefined ? new Date(now.getTime() + opts.expiresIn * 1000) : null);
      if (expiresAt && expiresAt <= now) fail('--expires-at is in the past');
      const { config } = boot();
      await withDatabase(config, async ({ db }) => {
        const tokens = createTokenService({ db, audit: createAuditRepository() });
        const created = await tokens.create({
          name: opts.name,
          role: opts.role,
          branchScope: opts.branch ?? null,
          expiresAt,
          actor: `cli:${userInfo().username}`,
        });
        out(
          JSON.stringify({
            id: created.id,
            role: opts.role,
            expiresAt: expiresAt?.toISOString() ?? null,
            token: created.secret,
          }),
        );
      });
    },
  );
token
  .command('list')
  .description('list API tokens (never their secrets)')
  .action(async () => {
    const { config } = boot();
    await withDatabase(config, async ({ db }) => {
      const rows = await createTokenService({ db, audit: createAuditRepository() }).list();
      for (const r of rows) out(JSON.stringify(r));
    });
  });
token
  .command('revoke <id>')
  .description('revoke an API token')
  .action(async (id: string) => {
    const { config } = boot();
    await withDatabase(config, async ({ db }) => {
      const ok = await createTokenService({ db, audit: createAuditRepository() }).revoke(id, 'cli');
      if (!ok) fail(`no active token ${id}`);
      out(`revoked ${id}`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // An expected refusal (a held lock, a conflict, bad input) is one clear line, not a stack trace.
  if (err instanceof AppError) fail(err.message);
  throw err;
}
