import { z } from 'zod';
import { TRANSPORT, WecomApiError } from './errors.ts';
import { fetchTransport, type Transport } from './transport.ts';

const answer = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() }).passthrough();

/** Posts an AI-bot reply to a message's `response_url` (a one-time, pre-authorised URL WeCom supplies). */
export type BotReplier = (responseUrl: string, markdown: string) => Promise<void>;

/** Creates the replier; a WeCom error or an odd answer is a typed error. */
export function createBotReplier(opts: { transport?: Transport; timeoutMs?: number } = {}): BotReplier {
  const transport = opts.transport ?? fetchTransport;
  return async (responseUrl, markdown) => {
    const raw = await transport({
      api: 'aibot/response',
      method: 'POST',
      url: responseUrl,
      body: { msgtype: 'markdown', markdown: { content: markdown } },
      timeoutMs: opts.timeoutMs ?? 5000,
    });
    const parsed = answer.safeParse(raw);
    if (!parsed.success)
      throw new WecomApiError('aibot/response', TRANSPORT.unexpectedResponse, 'unexpected answer');
    const errcode = parsed.data.errcode ?? 0;
    if (errcode !== 0) throw new WecomApiError('aibot/response', errcode, parsed.data.errmsg ?? '');
  };
}
