/** Time as a dependency, so logic that depends on "now" can be tested with a fixed clock. */
export type Clock = { now: () => Date };

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `at` until `set` moves it. */
export function fixedClock(at: Date): Clock & { set: (d: Date) => void } {
  let current = at;
  return { now: () => current, set: (d) => (current = d) };
}

/**
 * A clock that runs at real speed from `start` and can be moved forward: the demo's accelerated week, where
 * time passes between the jumps as it would, and each jump lands on the next thing worth seeing.
 */
export function shiftableClock(start: Date): Clock & { advanceTo: (d: Date) => void } {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advanceTo(d) {
      offset = Math.max(offset, d.getTime() - Date.now());
    },
  };
}
