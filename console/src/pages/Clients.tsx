import { t } from '../messages.ts';

/** Clients in the caller's scope (to be built). */
export default function Clients() {
  return (
    <section aria-labelledby="clients-heading">
      <h1 id="clients-heading">{t('clients.heading')}</h1>
    </section>
  );
}
