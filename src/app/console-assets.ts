import { existsSync } from 'node:fs';
import path from 'node:path';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { AppError } from '../platform/errors.ts';
import { pageCsp } from './page-csp.ts';

/** A built page of the console app (index.html or sidebar.html), never cached, or a 503 before a build. */
function builtPage(file: string): RequestHandler {
  return (_req: Request, res: Response) => {
    if (!existsSync(file)) {
      res
        .status(503)
        .type('text')
        .send('控制台尚未构建：请运行 npm run build:console（npm start 会自动构建）。');
      return;
    }
    // The page itself is never cached: a new build's asset names must reach the browser at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file);
  };
}

/**
 * `/console`: the ops console, a React app built by Vite into `dir` (console/dist). Assets are served as
 * files (hashed names, cached for a year); every other path under /console gets index.html, where the
 * app's router takes over. The console reads only this server's API, so the CSP allows only this origin,
 * plus the origins of QR code images (WeCom's CDN, or the emulator standing in for WeCom).
 *
 * `/sidebar`: the RM sidebar (聊天工具栏), the same build's second page (sidebar.html, its assets under
 * /console/assets). WeCom opens it unframed in its own webview, so it is never framed either, except by
 * `sidebarFramedBy`: the built-in emulator's origin in development, whose chat page hosts it in an iframe.
 */
export function mountConsole(
  app: Express,
  opts: { dir: string; imageOrigins: readonly string[]; sidebarFramedBy?: string | null },
): void {
  const csp = pageCsp({ imageOrigins: opts.imageOrigins });

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
  const page = builtPage(path.join(opts.dir, 'index.html'));
  app.get('/console', csp, page);
  app.get('/console/{*rest}', csp, page);

  const framedBy = opts.sidebarFramedBy;
  const sidebarCsp = pageCsp({
    imageOrigins: opts.imageOrigins,
    ...(framedBy ? { framedBy: [framedBy] } : {}),
  });
  // frame-ancestors decides; the X-Frame-Options: SAMEORIGIN set for every response would contradict it.
  const framable = (_req: Request, res: Response, next: NextFunction) => {
    if (framedBy) res.removeHeader('X-Frame-Options');
    next();
  };
  app.get('/sidebar', sidebarCsp, framable, builtPage(path.join(opts.dir, 'sidebar.html')));
}
