/** Reading a client's chat message to the FAQ bot: the question in it, or the choice it makes. */

/** "@智能助手 信用卡怎么还款" → "信用卡怎么还款": mentions are addressing, not the question. */
export const questionOf = (text: string) => text.replace(/@\S+\s*/g, '').trim();

// "2", "第2个", "第二个": a choice among the offered questions.
const CHOICE = /^\s*(?:第\s*)?([1-5一二三四五])\s*(?:个|条)?\s*[.。!！]?\s*$/u;
const CHINESE_DIGITS = '一二三四五';

/** The number a client chose (1-based), or null when the message is not a choice. */
export function parseChoice(text: string): number | null {
  const m = CHOICE.exec(text);
  if (!m) return null;
  const d = m[1] as string;
  return CHINESE_DIGITS.includes(d) ? CHINESE_DIGITS.indexOf(d) + 1 : Number(d);
}
