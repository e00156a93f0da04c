import type { Me } from '../api.ts';
import { t } from '../messages.ts';

/** The content library and its maker-checker flow (to be built). */
export default function Content(_props: { me: Me }) {
  return (
    <section aria-labelledby="content-heading">
      <h1 id="content-heading">{t('content.heading')}</h1>
    </section>
  );
}
