import { useCallback, useState } from 'react';
import type { Me } from '../api.ts';
import { t } from '../messages.ts';
import { Deflection } from './faq/Deflection.tsx';
import { Entries } from './faq/Entries.tsx';
import { Import } from './faq/Import.tsx';
import { Pending } from './faq/Pending.tsx';
import { ReviewQueue } from './faq/ReviewQueue.tsx';

/**
 * The FAQ knowledge base: its entries with their versions, the review queue of unanswered questions and
 * the import (ops and admins), the drafts waiting for compliance, and deflection per category over the
 * last 30 days.
 */
export default function Faq({ me }: { me: Me }) {
  // Bumped whenever a draft is written here, so the pending list reloads.
  const [drafts, setDrafts] = useState(0);
  const drafted = useCallback(() => setDrafts((n) => n + 1), []);
  const ops = me.role === 'admin' || me.role === 'ops';
  return (
    <section aria-labelledby="faq-heading">
      <h1 id="faq-heading">{t('faq.heading')}</h1>
      <Entries reload={drafts} />
      {ops ? <ReviewQueue onDraft={drafted} /> : null}
      <Pending me={me} reload={drafts} />
      {ops ? <Import onImported={drafted} /> : null}
      <Deflection days={30} />
    </section>
  );
}
