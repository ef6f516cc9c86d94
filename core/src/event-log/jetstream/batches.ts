/**
 * Groups an async sequence into batches of what is already there: after the first item, it
 * takes the items that arrive before the event loop turns over (already received, only waiting
 * in the client's queue) up to `maxBatch`, and never waits for more to fill a batch.
 *
 * A `next()` on the source is always in flight, so when the consumer of the batches stops
 * early, `stopSource` is called before the source is returned: a source that is not stopped
 * would hold the return back until it produced one more item.
 */
export async function* inBatches<T>(source: AsyncIterable<T>, maxBatch: number, stopSource: () => void): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    let pending = pullNext(iterator);
    for (;;) {
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = pullNext(iterator);
      while (batch.length < maxBatch) {
        const next = await Promise.race([pending, nextTurnOfEventLoop()]);
        if (next === undefined) break; // nothing more is ready now
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
        pending = pullNext(iterator);
      }
      yield batch;
    }
  } finally {
    stopSource();
    await iterator.return?.();
  }
}

/**
 * A `next()` can fail while the batch before it is still with the consumer; marking it handled
 * keeps Node from reporting an unhandled rejection — the failure surfaces at the next `await`.
 */
function pullNext<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
  const next = iterator.next();
  next.catch(() => {});
  return next;
}

/** Resolves after pending I/O callbacks and microtasks, i.e. after anything already received. */
function nextTurnOfEventLoop(): Promise<undefined> {
  return new Promise((resolve) => setImmediate(() => resolve(undefined)));
}
