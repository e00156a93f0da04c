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

const english = z.locales.en().localeError;
const chinese = z.locales.zhCN().localeError;
const text = (m: ReturnType<typeof english>) => (typeof m === 'string' ? m : m?.message);

/**
 * A zod issue's message in Chinese, from zod's own zh-CN locale. The issue must still carry its `input`
 * (parse with `{ reportInput: true }`): the type it got is part of the sentence. A message the schema wrote
 * itself (a refine's, a custom check's) has no Chinese twin in zod, and zod's only Chinese for it would be
 * a bare "无效输入", so the schema's own words stay.
 */
export function zhIssueMessage(issue: z.core.$ZodIssue): string {
  // A finished issue is what the locales read, less the `input` zod leaves out unless asked to report it.
  const raw = issue as z.core.$ZodRawIssue;
  if (text(english(raw)) !== issue.message) return issue.message;
  return text(chinese(raw)) || issue.message;
}
