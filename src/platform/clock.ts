/** Time as a dependency, so logic that depends on "now" can be tested with a fixed clock. */
export type Clock = { now: () => Date };

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `at` until `set` moves it. */
export function fixedClock(at: Date): Clock & { set: (d: Date) => void } {
  let current = at;
  return { now: () => current, set: (d) => (current = d) };
}
