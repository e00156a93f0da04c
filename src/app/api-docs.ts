import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { buildOpenApiDocument } from '../platform/http/openapi-document.ts';
import { listRoutes } from '../platform/http/route-table.ts';
import { pageCsp } from './page-csp.ts';

const require = createRequire(import.meta.url);
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The reference page loads only its own scripts and styles (no CDN: a bank's network reaches none), and
// asks for nothing but this server's document.
const docsCsp = pageCsp({ inlineStyles: true });

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>Helix API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
});
`;

/**
 * `/api/openapi.json`: the OpenAPI 3.1 document of `/api/v1`, generated from the routes' contracts the
 * first time it is asked for (every route is mounted by then); `/api/docs`: an interactive reference
 * (Swagger UI, served from the installed package). Neither carries client data, so neither needs a token;
 * trying a call in the reference asks for one.
 */
export function mountApiDocs(app: Express): void {
  let document: unknown;
  app.get('/api/openapi.json', (_req: Request, res: Response) => {
    document ??= buildOpenApiDocument(listRoutes(app), { version });
    res.json(document);
  });
  app.get('/api/docs', docsCsp, (_req: Request, res: Response) => {
    res.type('html').send(PAGE);
  });
  app.get('/api/docs/init.js', docsCsp, (_req: Request, res: Response) => {
    res.type('js').send(INIT);
  });
  app.use('/api/docs/assets', docsCsp, express.static(swaggerUiDir, { index: false }));
}
