import { t } from '../messages.ts';
import type { Finding } from './model.ts';

/** What a finding is about, quoting the words it found in `text` (none for a missing disclosure). */
export function findingText(f: Finding, text: string): string {
  const quoted = text.slice(f.span[0], f.span[1]);
  return t('sidebar.finding', {
    severity: t(`sidebar.severity.${f.severity}`),
    kind: t(`sidebar.kind.${f.kind}`),
    excerpt: quoted ? t('sidebar.excerpt', { text: quoted }) : '',
    suggestion: f.suggestion,
  });
}

/** A text's compliance findings as a list; `id` lets the control they concern point at it. */
export function Findings({ findings, text, id }: { findings: Finding[]; text: string; id?: string }) {
  if (findings.length === 0) return null;
  return (
    <ul className="findings" id={id}>
      {findings.map((f) => (
        <li key={`${f.rule}-${f.span[0]}-${f.span[1]}`} className={f.severity}>
          {findingText(f, text)}
        </li>
      ))}
    </ul>
  );
}
