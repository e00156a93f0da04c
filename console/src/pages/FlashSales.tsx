import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api } from '../api.ts';
import { asApiError } from '../failures.tsx';
import { t } from '../messages.ts';
import type { Policy } from './clients/shared.tsx';
import { CreateSale } from './flash-sales/CreateSale.tsx';
import { SaleList } from './flash-sales/SaleList.tsx';
import { SaleResults } from './flash-sales/SaleResults.tsx';
import type { Sale } from './flash-sales/shared.tsx';

/**
 * The flash sales page (admin and ops): the sales, creating one, and one sale's live results (units
 * left, winners, attempts by outcome), refreshed every 2 s while it is open and the page is visible.
 */
export default function FlashSales() {
  const [sales, setSales] = useState<Sale[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ items: Sale[] }>('/flash-sales?limit=50').then(
      (r) => {
        setSales(r.items);
        setError(null);
      },
      (e: unknown) => setError(asApiError(e)),
    );
  }, []);

  useEffect(() => {
    load();
    // The tier names for eligibility; without them the form offers risk levels and new clients only.
    api<Policy>('/tiers/policy').then(setPolicy, () => undefined);
  }, [load]);

  return (
    <section aria-labelledby="flash-heading">
      <h1 id="flash-heading">{t('flash.heading')}</h1>
      <p className="hint">{t('flash.intro')}</p>
      <SaleList sales={sales} error={error} onOpen={setOpen} />
      {open ? <SaleResults key={open} id={open} onClose={() => setOpen(null)} onChanged={load} /> : null}
      <CreateSale policy={policy} onCreated={load} />
    </section>
  );
}
