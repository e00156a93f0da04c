import type { FaqService } from '../src/modules/faq/faq.service.ts';
import type { QuestionLog } from '../src/modules/faq/question-log.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Log } from '../src/platform/logger.ts';
import type { WecomClient } from '../src/wecom/client/wecom-client.ts';

/**
 * The RM assistant in the Helix app: an RM writes a client's question to the app and gets the approved
 * answers that fit it back as an app message, each marked with its compliance verdict. Its framing is
 * written for RMs, never sent to a client, so it is not library content.
 */
export function createRmAssistant(deps: {
  faq: Pick<FaqService, 'suggest'>;
  questionLog: QuestionLog;
  app: Pick<WecomClient, 'sendAppMessage'>;
  log: Log;
}): InboundHandler {
  return on('app:text', 'rm-assistant.question', async (event, ctx) => {
    const rm = event.body.FromUserName;
    const s = await deps.faq.suggest(event.body.Content, {}, ctx.tx);
    await deps.questionLog.record(ctx.tx, 'rm-app', event.body.Content, s);
    const lines =
      s.suggestions.length === 0
        ? ['知识库中没有找到合适的标准答案，建议您直接回复客户或联系产品部门。']
        : s.suggestions.map(
            (x, i) =>
              `${i + 1}. **${x.question}**${x.compliance.ok ? '' : '（合规检查未通过，请勿直接发送）'}\n${x.answer}`,
          );
    const content = `**话术建议**（${s.outcome === 'answer' ? '可直接使用' : '请确认后使用'}）\n${lines.join('\n\n')}`;
    ctx.afterCommit(() =>
      deps.app
        .sendAppMessage({ touser: [rm], msgtype: 'markdown', content: { content } })
        .then(() => undefined)
        .catch((err: unknown) => deps.log.warn({ err, rm }, 'RM assistant reply failed')),
    );
  });
}
