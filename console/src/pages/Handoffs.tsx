import { t } from '../messages.ts';

/** Hand-offs with their SLA clock (to be built). */
export default function Handoffs() {
  return (
    <section aria-labelledby="handoffs-heading">
      <h1 id="handoffs-heading">{t('handoffs.heading')}</h1>
    </section>
  );
}
