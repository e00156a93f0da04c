import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { AppError } from '../platform/errors.ts';
import { pageCsp } from './page-csp.ts';

/**
 * `/console`: the ops console, a React app built by Vite into `dir` (console/dist). Assets are served as
 * files (hashed names, cached for a year); every other path under /console gets index.html, where the
 * app's router takes over. The console reads only this server's API, so the CSP allows only this origin,
 * plus the origins of QR code images (WeCom's CDN, or the emulator standing in for WeCom).
 */
export function mountConsole(app: Express, opts: { dir: string; imageOrigins: readonly string[] }): void {
  const csp = pageCsp({ imageOrigins: opts.imageOrigins });

  const index = path.join(opts.dir, 'index.html');
  app.use(
    '/console/assets',
    csp,
    express.static(path.join(opts.dir, 'assets'), { immutable: true, maxAge: '1y' }),
  );
  app.use('/console/assets', (req: Request) => {
    throw new AppError('not_found', {
      message: `no console asset ${req.path.slice(0, 100)}`,
      zh: '没有该控制台资源文件。',
    });
  });
  const page = (_req: Request, res: Response) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text')
        .send('控制台尚未构建：请运行 npm run build:console（npm start 会自动构建）。');
      return;
    }
    // The page itself is never cached: a new build's asset names must reach the browser at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  app.get('/console', csp, page);
  app.get('/console/{*rest}', csp, page);
}
