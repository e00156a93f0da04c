import type { Request } from 'express';
import { z } from 'zod';

/**
 * The API answers errors in English (for machines, scripts and logs) unless the caller asks for Chinese:
 * true when the request's `Accept-Language` ranks a `zh*` tag above every `en*` one. No header, a tie or
 * neither language means English, so existing callers see no change.
 */
export function prefersChinese(req: Request): boolean {
  // English first: negotiation keeps the order given when the header ranks both the same (or is absent).
  return req.acceptsLanguages('en', 'zh') === 'zh';
}

/**
 * The Chinese of the messages Helix's own API schemas write (a regex's or a refine's), by their English.
 * zod has no Chinese for a schema's own words; a message missing here is answered in English.
 */
const SCHEMA_MESSAGES_ZH: Readonly<Record<string, string>> = {
  'lower-case letters, digits and dashes': '只能包含小写字母、数字和连字符',
  'must be lower-case letters, digits and dashes': '只能包含小写字母、数字和连字符',
  'must be YYYY-MM-DD': '日期格式须为 YYYY-MM-DD',
  'must be a date as YYYY-MM-DD': '日期格式须为 YYYY-MM-DD',
  'a tier, interest group or circle id': '须为分层、兴趣群或圈子的编号（小写字母、数字和连字符）',
  'a WeCom userid': '须为企业微信 userid（字母、数字及 _ . @ -）',
  'at most 30 characters: letters, digits, dash and underscore':
    '最多 30 个字符，只能包含字母、数字、连字符和下划线',
  'is not a cursor from this API': '不是本接口返回的翻页游标',
  'needs at least one channel': '至少需要一个渠道',
  'at most 20 values': '最多 20 个值',
  'is before validity.from': '早于生效日期 validity.from',
  'must be above minCny': '须大于 minCny',
  'must be one of C1, C2, C3, C4, C5': '须为 C1、C2、C3、C4、C5 之一',
  'must be 1–64 letters, digits, "_" or "-"': '须为 1–64 个字母、数字、“_”或“-”',
  'is in the future': '不能晚于今天',
  'is required': '必填',
};

const english = z.locales.en().localeError;
const chinese = z.locales.zhCN().localeError;
const text = (m: ReturnType<typeof english>) => (typeof m === 'string' ? m : m?.message);

/**
 * A zod issue's message in Chinese, from zod's own zh-CN locale. The issue must still carry its `input`
 * (parse with `{ reportInput: true }`): the type it got is part of the sentence. A message the schema wrote
 * itself (a refine's, a custom check's) has no Chinese twin in zod (its only Chinese would be a bare
 * "无效输入"): it comes from `SCHEMA_MESSAGES_ZH`, or stays in the schema's own words.
 */
export function zhIssueMessage(issue: z.core.$ZodIssue): string {
  // A finished issue is what the locales read, less the `input` zod leaves out unless asked to report it.
  const raw = issue as z.core.$ZodRawIssue;
  if (text(english(raw)) !== issue.message) return SCHEMA_MESSAGES_ZH[issue.message] ?? issue.message;
  return text(chinese(raw)) || issue.message;
}
