import type { Me } from '../api.ts';
import { t } from '../messages.ts';

/** The FAQ: review queue, approvals and deflection (to be built). */
export default function Faq(_props: { me: Me }) {
  return (
    <section aria-labelledby="faq-heading">
      <h1 id="faq-heading">{t('faq.heading')}</h1>
    </section>
  );
}
