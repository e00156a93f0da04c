/**
 * `p`, or a rejection with `onTimeout()` when it has not settled within `ms`. The timer is cleared as soon
 * as `p` settles and never keeps the process alive.
 */
export function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  onTimeout: () => Error = () => new Error(`no answer within ${ms} ms`),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
