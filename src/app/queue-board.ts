import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, RequestHandler } from 'express';
import { requireRole } from '../platform/auth/auth.middleware.ts';
import type { Queues } from '../platform/queue/queues.ts';
import { pageCsp } from './page-csp.ts';

const BASE = '/admin/queues';

// The board's page loads its own bundled scripts and styles and asks only this server.
const boardCsp = pageCsp({ inlineStyles: true });

/**
 * Bull Board at `/admin/queues`, for admins only: every queue's jobs by state, with retry and removal. The
 * same authentication as the API runs first (`authenticate`), so a token or a console session of any other
 * role gets 403 and an anonymous caller 401.
 */
export function mountQueueBoard(app: Express, deps: { queues: Queues; authenticate: RequestHandler }): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BASE);
  createBullBoard({
    queues: [...deps.queues.queues.values()].map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Helix 队列' } },
  });
  app.use(BASE, boardCsp, deps.authenticate, requireRole('admin'), serverAdapter.getRouter());
}
