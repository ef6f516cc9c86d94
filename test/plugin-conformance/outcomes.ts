export type Outcome<T> = { state: 'resolved'; value: T } | { state: 'rejected'; error: unknown };
export type TimedOutcome<T> = Outcome<T> | { state: 'pending' };

/**
 * Calls `start` and resolves to how its promise ended, never rejecting: a check may stop
 * waiting for it, and its late failure must not surface as an unhandled rejection. A `start`
 * that throws synchronously counts as a rejection too.
 */
export function outcomeOf<T>(start: () => T | Promise<T>): Promise<Outcome<T>> {
  return new Promise<T>((resolve) => resolve(start())).then(
    (value): Outcome<T> => ({ state: 'resolved', value }),
    (error: unknown): Outcome<T> => ({ state: 'rejected', error }),
  );
}

/** The outcome if it arrives before `deadline` (a `performance.now()` time), else `pending`. */
export async function outcomeBy<T>(outcome: Promise<Outcome<T>>, deadline: number): Promise<TimedOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<TimedOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([outcome, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return JSON.stringify(error) ?? String(error);
}
