import { randomBytes } from 'node:crypto';
import { getJsApiSignature } from '@wecom/crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Clock } from '../../platform/clock.ts';
import { contract } from '../../platform/http/api-contract.ts';
import { invalidInput, parseOrThrow } from '../../platform/http/validate.ts';

const configBody = z
  .object({ url: z.string().url().max(2048).meta({ description: 'the page that calls ww.register' }) })
  .strict();
const signature = z.strictObject({
  timestamp: z.number().int(),
  nonceStr: z.string(),
  signature: z.string(),
});
const configView = z
  .strictObject({
    corpId: z.string(),
    agentId: z.string(),
    corp: signature.meta({ description: "for ww.register's getConfigSignature (the corp's jsapi ticket)" }),
    agent: signature.meta({ description: "for ww.register's getAgentConfigSignature (the app's ticket)" }),
    emulatorOrigin: z.string().nullable().meta({
      description:
        "the built-in WeCom emulator's origin when it stands in for WeCom (development): framed by it, the sidebar talks to its fake JS-SDK; null with real WeCom",
    }),
  })
  .meta({ id: 'SidebarJsSdkConfig' });

/**
 * `/api/v1/sidebar/jssdk-config`: what the RM sidebar (聊天工具栏) needs to call `ww.register` of
 * `@wecom/jssdk`: the corp and app signatures of the page's URL, made with WeCom's JS-SDK tickets (cached in
 * Redis for their two hours). Only a page on this site is signed.
 */
export function createSidebarRouter(deps: {
  corpId: string;
  agentId: string;
  /** The origin staff reach Helix at (PUBLIC_BASE_URL); unset, the request's own (development). */
  publicBaseUrl: string | undefined;
  /** The WeCom emulator's origin when it stands in for WeCom; null with real WeCom (and in production). */
  emulatorOrigin: string | null;
  ticket: (kind: 'corp' | 'agent') => Promise<string>;
  clock: Clock;
}): Router {
  const router = Router();
  router.post(
    '/sidebar/jssdk-config',
    contract({
      tag: 'sidebar',
      summary: "Signatures for the sidebar's ww.register (corp and app), for a page on this site",
      body: configBody,
      responses: { 200: configView },
    }),
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { url } = parseOrThrow(configBody, req.body, 'body');
      const page = new URL(url);
      const origin = deps.publicBaseUrl
        ? new URL(deps.publicBaseUrl).origin
        : `${req.protocol}://${req.get('host')}`;
      if (page.origin !== origin)
        throw invalidInput([
          { en: `url: must be a page of this site (${origin})`, zh: `url: 必须是本站的页面（${origin}）` },
        ]);
      // WeCom signs the URL without its fragment.
      page.hash = '';
      const sign = async (kind: 'corp' | 'agent') => {
        const s = getJsApiSignature({
          url: page.href,
          ticket: await deps.ticket(kind),
          nonceStr: randomBytes(12).toString('hex'),
          timestamp: Math.floor(deps.clock.now().getTime() / 1000),
        });
        return { timestamp: Number(s.timestamp), nonceStr: s.nonceStr, signature: s.signature };
      };
      const [corp, agent] = await Promise.all([sign('corp'), sign('agent')]);
      res.json({
        corpId: deps.corpId,
        agentId: deps.agentId,
        corp,
        agent,
        emulatorOrigin: deps.emulatorOrigin,
      });
    },
  );
  return router;
}
