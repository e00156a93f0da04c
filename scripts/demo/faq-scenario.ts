import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/client.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import { type DemoKit, waitFor } from './demo-kit.ts';

const botReplies = (k: DemoKit) =>
  Object.values(k.emulator.inspect().botReplies)
    .flat()
    .map((r) => (r.payload as { markdown: { content: string } }).markdown.content);

/** Clients ask the FAQ bot in a group: answered, clarified, handed off to their RM, who takes over. */
export async function playFaq(k: DemoKit): Promise<void> {
  const { say } = k;
  say('7. Clients @ the FAQ bot in 金葵花贵宾1群: answered, clarified, or handed to their own RM.');
  const questions: [string, string][] = [
    ['wm_demo_wang', '@智能助手 信用卡丢了要怎么挂失'],
    ['wm_demo_sun', '@智能助手 贵宾客户可以使用机场贵宾厅吗'],
    ['wm_demo_liu', '@智能助手 信用卡怎么收'],
    ['wm_demo_chen', '@智能助手 我想问问房贷提前还款的违约金怎么算'],
  ];
  const ask = async (client: string, content: string) => {
    const before = botReplies(k).length;
    await k.driver.clientMentionsBot({ chatId: 'wr_demo_vip_1', userId: client, content });
    const reply = await waitFor('bot reply', async () => botReplies(k)[before]);
    say(`   ${content.replace('@智能助手 ', '')}\n     → ${reply.split('\n').join(' / ').slice(0, 80)}`);
    return reply;
  };
  for (const [client, content] of questions) {
    const reply = await ask(client, content);
    if (reply.startsWith('您想问的是')) {
      // The client answers the clarification with the number of the question they meant.
      const fee =
        reply
          .split('\n')
          .find((l) => l.includes('年费'))
          ?.slice(0, 1) ?? '1';
      k.expect((await ask(client, `@智能助手 ${fee}`)).includes('年费'), 'a numbered choice is answered');
    }
  }
  const [conv] = await queryRows<{ id: number; rm: string }>(
    k.db,
    sql`SELECT id::int AS id, rm_userid AS rm FROM conversations WHERE client_userid = 'wm_demo_chen'
        AND owner_state = 'pending-human'`,
  );
  k.expect(conv?.rm === 'rm_zhangmin', '陈女士 handed to her own RM');
  const card = k.emulator
    .inspect()
    .members.find((m) => m.userid === 'rm_zhangmin')
    ?.appMessages.find((m) => m.msgtype === 'template_card');
  say(`   ${conv?.rm} receives a 接手 card: ${card ? 'yes' : 'no'}`);

  // The RM taps 接手: WeCom sends Helix a template_card_event.
  const config = k.helix.ctx.config;
  const cb = buildSignedCallback({
    format: 'xml',
    token: config.wecom.app.token,
    encodingAesKey: config.wecom.app.encodingAesKey,
    receiveId: config.wecom.corpId,
    plaintext: `<xml><ToUserName><![CDATA[${config.wecom.corpId}]]></ToUserName><FromUserName><![CDATA[rm_zhangmin]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[takeover]]></EventKey><TaskId><![CDATA[handoff-${conv?.id}]]></TaskId><AgentID>${config.wecom.agentId}</AgentID></xml>`,
  });
  await fetch(`${k.helix.url}/wecom/callback?${cb.query}`, { method: 'POST', body: cb.body });
  const taken = await waitFor('takeover', async () => {
    const [c] = await queryRows<{ state: string }>(
      k.db,
      sql`SELECT owner_state AS state FROM conversations WHERE id = ${conv?.id ?? 0}`,
    );
    return c?.state === 'human' ? c : undefined;
  });
  k.expect(taken.state === 'human', 'the RM owns the conversation');
  say(
    `   rm_zhangmin taps 接手: the conversation is now ${taken.state}-owned, and the bot stays silent in it`,
  );

  // The learning loop: what ops see the next morning.
  const [d] = await queryRows<{ asked: number; deflected: number; open: number }>(
    k.db,
    sql`SELECT count(*) FILTER (WHERE channel = 'bot' AND outcome <> 'fallback')::int AS asked,
               count(*) FILTER (WHERE channel = 'bot' AND (outcome = 'answer' OR resolved_entry_id IS NOT NULL))::int AS deflected,
               count(*) FILTER (WHERE review_status = 'open' AND outcome = 'handoff')::int AS open
        FROM faq_questions`,
  );
  say(
    `   ops: ${d?.deflected} of ${d?.asked} questions answered without a person; ${d?.open} hand-off(s) wait in the review queue (GET /api/v1/faq/review-queue)`,
  );
}
