import type { ReactNode } from 'react';
import type { MessageKey } from '../../messages.ts';

/** `GET /content/components` items (`ContentComponent`). */
export type ComponentSummary = {
  id: string;
  kind: Kind;
  title: string;
  source: 'library' | 'api';
  latest: number;
  approved: number | null;
};

/** A stored finding of a draft (`ContentFinding`): its message names the matched text. */
export type Finding = { file: string; field: string; message: string; severity: 'block' | 'warn' };

/** `GET /content/components/:id/versions` items (`ContentVersion`). */
export type Version = {
  componentId: string;
  version: number;
  status: 'draft' | 'submitted' | 'approved' | 'rejected';
  author: string;
  reviewer: string | null;
  reviewNote: string | null;
  findings: Finding[];
  contentHash: string;
  createdAt: string;
};

/** A compliance finding on a rendered text (`ComplianceFinding`), with offsets into that text. */
export type CheckFinding = {
  rule: string;
  kind: 'banned-claim' | 'missing-disclosure' | 'pii';
  span: [number, number];
  severity: 'block' | 'warn';
  suggestion: string;
};

/** `POST /content/components/:id/preview` (`ContentPreview`): rendered, or only why it cannot be sent. */
export type Preview = {
  version: number;
  status: Version['status'];
  sendable: boolean;
  unsendableReason?: string;
  componentId: string;
  variantId?: string;
  payload?: Record<string, string>;
  compliance?: { ok: boolean; findings: CheckFinding[]; masked: string };
};

export const KINDS = [
  'morning-brief',
  'flash-sale',
  'evening-topic',
  'welcome',
  'greeting-birthday',
  'greeting-festival',
  'event-invite',
  'product-card',
  'persona-opener',
  'risk-disclosure',
  'bot-reply',
  'handoff-card',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * The RM personas of content-library/personas/personas.yaml. The API has no route listing them, so the
 * console names the twelve here (their labels are in the message catalogue).
 */
export const PERSONAS = [
  'zhixing-jiejie',
  'yinghe-shuju',
  'gaoqian-guimi',
  'wenjian-laoshi',
  'jiating-guanjia',
  'zhichang-qianbei',
  'lvxing-daren',
  'xuezhang-liuxue',
  'jingqiao-chuangye',
  'yinfa-tiexin',
  'keji-qianyan',
  'xiaofei-zhinan',
] as const;

export const TIERS = ['basic', 'intermediate', 'premium'] as const;

export const kindLabel = (k: Kind): MessageKey => `content.kind.${k}`;
export const statusLabel = (s: Version['status']): MessageKey => `content.status.${s}`;

/**
 * The text a stored finding matched: the content lint writes compliance findings as
 * `compliance <kind> <rule> at "<matched text>": <suggestion>`. Missing disclosures match no text.
 */
export function matchedText(f: Finding): string | undefined {
  const m = /^compliance \S+ \S+ at "(.+?)": /s.exec(f.message);
  return m?.[1];
}

/** A part of a text to mark, and the id of the element describing why. */
export type Mark = { start: number; end: number; message: string; describedBy: string };

/** Every place in `text` a stored finding matched (each occurrence of its matched text). */
export function marksFromFindings(text: string, findings: Finding[], idOf: (i: number) => string): Mark[] {
  const out: Mark[] = [];
  findings.forEach((f, i) => {
    const needle = matchedText(f);
    if (!needle) return;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
      out.push({ start: at, end: at + needle.length, message: f.message, describedBy: idOf(i) });
  });
  return out;
}

/** The text with the marked parts wrapped in <mark>, overlapping marks merged into the first. */
export function highlight(text: string, marks: Mark[]): ReactNode[] {
  const sorted = [...marks]
    .filter((m) => m.end > m.start && m.start >= 0 && m.end <= text.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: (Mark & { messages: string[]; ids: string[] })[] = [];
  for (const m of sorted) {
    const last = merged.at(-1);
    if (last && m.start < last.end) {
      last.end = Math.max(last.end, m.end);
      if (!last.ids.includes(m.describedBy)) {
        last.ids.push(m.describedBy);
        last.messages.push(m.message);
      }
    } else merged.push({ ...m, messages: [m.message], ids: [m.describedBy] });
  }
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push(text.slice(at, m.start));
    out.push(
      <mark key={m.start} title={m.messages.join('\n')} aria-describedby={m.ids.join(' ')}>
        {text.slice(m.start, m.end)}
      </mark>,
    );
    at = m.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
