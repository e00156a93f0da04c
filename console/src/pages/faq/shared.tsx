import { api } from '../../api.ts';

/** Posts a file's raw bytes to `/api/v1{path}` (the FAQ import), answering like `api()`. */
export function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  return api<T>(path, { method: 'POST', file: { data: file, contentType } });
}

/** A rate (0..1) as a percentage with at most one decimal. */
export const percent = (rate: number): string =>
  new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
