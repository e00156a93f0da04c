import type { Express, Request, Response } from 'express';
import type { InboxSource } from '../../platform/db/schema.ts';
import { readRawBody } from '../../platform/http/raw-body.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { parseCallbackQuery } from '../../wecom/protocol/callback-codec.ts';
import { type IntakeResult, type IntakeService, toIntakeError } from './inbox.service.ts';

/** Optional synchronous reply to a callback (the plaintext to encrypt, sign and return), else empty 200. */
export type PassiveReplyHook = (source: InboxSource, result: IntakeResult) => string | undefined;

/** The signed query of a callback; a value that does not percent-decode is the caller's error (400). */
function callbackQuery(req: Request) {
  try {
    return parseCallbackQuery(req.originalUrl);
  } catch (err) {
    throw toIntakeError(err);
  }
}

const ENDPOINTS: Record<InboxSource, string> = { app: '/wecom/callback', bot: '/wecom/bot/callback' };

/**
 * Mounts the WeCom callback routes on `app`. They go first, straight on the app, so the hottest path in
 * Helix crosses no other middleware. The raw body is read here only (a global parser would alter what was
 * signed), bounded by `bodyLimitBytes`; everything else happens in the intake service.
 */
export function mountCallbackRoutes(
  app: Express,
  deps: {
    intake: IntakeService;
    metrics: Metrics;
    bodyLimitBytes: number;
    passiveReply?: PassiveReplyHook;
    sealReply: (source: InboxSource, plaintext: string) => string;
  },
): void {
  const { intake, metrics } = deps;

  for (const source of ['app', 'bot'] as const) {
    const endpoint = ENDPOINTS[source];

    app.get(endpoint, (req: Request, res: Response) => {
      try {
        const echo = intake.verifyUrl(source, callbackQuery(req));
        metrics.callbacks.inc({ endpoint: source, type: 'url_verify', outcome: 'ok' });
        // WeCom compares the body byte for byte: no quotes, newline or BOM.
        res.status(200).type('text/plain; charset=utf-8').end(echo);
      } catch (err) {
        metrics.callbacks.inc({ endpoint: source, type: 'url_verify', outcome: 'rejected' });
        throw err;
      }
    });

    app.post(endpoint, async (req: Request, res: Response) => {
      const stop = metrics.intakeDuration.startTimer({ endpoint: source });
      try {
        // The query first: a request whose signature parameters cannot even be decoded is refused unread.
        const query = callbackQuery(req);
        const body = (await readRawBody(req, deps.bodyLimitBytes)).toString('utf8');
        const result = await intake.receive(source, query, body);
        metrics.callbacks.inc({ endpoint: source, type: result.kind, outcome: result.outcome });
        const reply = deps.passiveReply?.(source, result);
        if (reply === undefined) res.status(200).end();
        else
          res
            .status(200)
            .type(source === 'app' ? 'application/xml' : 'application/json')
            .end(deps.sealReply(source, reply));
      } catch (err) {
        metrics.callbacks.inc({ endpoint: source, type: 'unknown', outcome: 'rejected' });
        throw err;
      } finally {
        stop();
      }
    });
  }
}
