import type { ReactNode } from 'react';
import type { Schema } from '../../api.ts';
import type { MessageKey } from '../../messages.ts';

/** `GET /content/components` items. */
export type ComponentSummary = Schema<'ContentComponent'>;

/** A stored finding of a draft: its message names the matched text. */
export type Finding = Schema<'ContentFinding'>;

/** `GET /content/components/:id/versions` items. */
export type Version = Schema<'ContentVersion'>;

/** A compliance finding on a rendered text, with offsets into that text. */
export type CheckFinding = Schema<'ComplianceFinding'>;

/**
 * `POST /content/components/:id/preview`: rendered, or (no market figures to render with) only why it
 * cannot be sent.
 */
export type Preview = Schema<'ContentPreview'>;

/** The rendered preview, or null when there is none (not loaded, or only why it cannot be sent). */
export const renderedOf = (p: Preview | null): Schema<'ContentPreviewRendered'> | null =>
  p && 'payload' in p ? p : null;

/** A component's kind, as the API names them. */
export type Kind = ComponentSummary['kind'];

// A record, not a list, so a kind the API adds or drops fails the console's typecheck here.
const KIND_ORDER: Record<Kind, true> = {
  'morning-brief': true,
  'flash-sale': true,
  'evening-topic': true,
  welcome: true,
  'greeting-birthday': true,
  'greeting-festival': true,
  'event-invite': true,
  'product-card': true,
  'persona-opener': true,
  'risk-disclosure': true,
  'bot-reply': true,
  'handoff-card': true,
};
/** Every kind, in the order the draft form lists them. */
export const KINDS = Object.keys(KIND_ORDER) as Kind[];

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
