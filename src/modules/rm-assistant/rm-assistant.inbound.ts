import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { FaqService } from '../faq/faq.service.ts';
import type { QuestionLog } from '../faq/question-log.ts';
import type { InboundHandler } from '../inbox/inbound-dispatcher.ts';

/**
 * The RM assistant in the Helix app: an RM writes a client's question to the app and gets the approved
 * answers that fit it back as an app message, each marked with its compliance verdict.
 */
export function createRmAssistantHandler(deps: {
  faq: Pick<FaqService, 'suggest'>;
  questionLog: QuestionLog;
  app: Pick<WecomClient, 'sendAppMessage'>;
  log: Log;
}): InboundHandler {
  return {
    name: 'rm-assistant.question',
    kinds: ['text'],
    async handle(event, ctx) {
      if (event.source !== 'app' || event.kind !== 'text') return;
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
    },
  };
}
