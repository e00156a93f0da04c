import { useRef, useState } from 'react';
import type { ApiError } from './api.ts';
import { asApiError } from './failures.tsx';

/** One page of a cursor-paged `/api/v1` list. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A cursor-paged list filtered by `F`: `load(filters, null)` starts over, `load(filters, next)` appends the
 * next page. Answers to an older start are dropped, so only the latest filters fill the list. `onPage` sees
 * each page that is kept.
 */
export function usePagedList<T, F>(
  fetchPage: (filters: F, cursor: string | null) => Promise<Page<T>>,
  onPage?: (items: T[]) => void,
) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const load = async (filters: F, cursor: string | null) => {
    const mine = cursor ? generation.current : ++generation.current;
    setBusy(true);
    setError(null);
    try {
      const page = await fetchPage(filters, cursor);
      if (mine !== generation.current) return;
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
      onPage?.(page.items);
    } catch (e) {
      if (mine !== generation.current) return;
      setError(asApiError(e));
      if (!cursor) {
        setItems([]);
        setNext(null);
      }
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };
  return { items, next, busy, error, load };
}
