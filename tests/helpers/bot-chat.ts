import { expect } from 'vitest';
import type { WecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { waitUntil } from './infra.ts';

/**
 * A group chat with the FAQ bot through the emulator: `ask` has a client @-mention the bot (and returns
 * how many bot replies existed before), `nextReply` waits for the reply after that point.
 */
export function botChat(emulator: () => WecomEmulator, chatId: string) {
  const replies = () =>
    Object.values(emulator().inspect().botReplies)
      .flat()
      .map((r) => (r.payload as { markdown: { content: string } }).markdown.content);
  const ask = async (userId: string, content: string) => {
    const before = replies().length;
    const out = await emulator().driver?.clientMentionsBot({ chatId, userId, content });
    expect(out?.status).toBe(200);
    return before;
  };
  const nextReply = async (before: number) =>
    waitUntil(() => replies()[before], 10_000, 'bot reply') as Promise<string>;
  return { replies, ask, nextReply };
}
