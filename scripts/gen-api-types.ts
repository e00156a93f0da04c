/**
 * `npm run gen:api-types`: writes `console/src/api-types.ts`, the console's types of the API, from the same
 * OpenAPI document the server serves at `/api/openapi.json`. The document is built in this process, as
 * `mountApiDocs` builds it (the routes read from a built web app, then `buildOpenApiDocument`), and turned
 * into types by openapi-typescript. `tests/unit/api-types-current.test.ts` fails when the committed file is
 * not what this script writes today. Run: `npm run gen:api-types`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import type { AppContext } from '../src/app/context.ts';
import { buildWebApp } from '../src/app/web.ts';
import { createConfiguredWecomCircuits } from '../src/app/wecom-runtime.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/platform/clock.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { buildOpenApiDocument } from '../src/platform/http/openapi-document.ts';
import { listRoutes } from '../src/platform/http/route-table.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createMetrics } from '../src/platform/metrics.ts';

/** Where the generated types are committed. */
export const API_TYPES_FILE = fileURLToPath(new URL('../console/src/api-types.ts', import.meta.url));

const HEADER = `/**
 * Generated from the API's OpenAPI document (the routes' zod contracts) by \`npm run gen:api-types\`
 * (scripts/gen-api-types.ts). Do not edit: change a route's contract and run the command again.
 * console/src/api.ts names these shapes for the pages (\`Schema\`, \`Ok\`).
 */

`;

/**
 * The OpenAPI document of `/api/v1`, built as the server builds it. The routes are only read off Express's
 * router, never called, so the web app stands on the cheapest infrastructure that lets it be built: an
 * empty in-memory PGlite (nothing is queried, so no migrations) and a Redis URL on a closed port (the
 * connections are opened and closed without a command sent). The configuration is fixed, not the caller's
 * environment, so every machine writes the same file.
 */
export async function buildApiDocument(): Promise<OpenAPI3> {
  const config = loadConfig({ NODE_ENV: 'development', HELIX_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const log = createLogger({ level: 'silent', name: 'gen-api-types' });
  const metrics = createMetrics();
  const clock = systemClock;
  const database = await openDatabase({ pgliteDir: 'memory://' });
  try {
    const ctx: AppContext = {
      config,
      database,
      redisUrl: 'redis://127.0.0.1:9',
      log,
      metrics,
      clock,
      wecomBaseUrl: config.wecom.api.baseUrl,
      wecomCircuits: createConfiguredWecomCircuits({ config, clock, log, metrics }),
    };
    const web = buildWebApp(ctx);
    try {
      const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      };
      return buildOpenApiDocument(listRoutes(web.app), { version }) as OpenAPI3;
    } finally {
      await web.close();
    }
  } finally {
    await database.close();
  }
}

/** The text of `console/src/api-types.ts` for the API as it is now. */
export async function renderApiTypes(): Promise<string> {
  const ast = await openapiTS(await buildApiDocument(), { silent: true });
  return HEADER + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(API_TYPES_FILE, await renderApiTypes());
  process.stdout.write('wrote console/src/api-types.ts\n');
}
