interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/** Items taken out of a batcher to ride in a write of the taker's own, which must settle them. */
export interface TakenBatch<Item, Result> {
  items: Item[];
  settle(outcome: { results: readonly Result[] } | { error: unknown }): void;
}

/**
 * Gathers writes made close together into one: items added while a write is in flight (or,
 * when gathered, within a moment of the first) go out together in the next one. Each
 * caller's promise settles with its own item's result from the write that carried it (group
 * commit: the busier the database, the larger the batches and the fewer the statements).
 */
export class WriteBatcher<Item, Result> {
  #waiting: Array<Waiting<Item, Result>> = [];
  #flushing: Promise<void> | undefined;

  /**
   * `write` answers one result per item, in the items' order. Items added while nothing is
   * being written are written at once when `gatherMs` is undefined; otherwise each write first
   * waits that long (0: to the end of the event loop's turn) for others, and a taker, to join.
   * Items added during a write wait for the next.
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<readonly Result[]>,
    private readonly options: { gatherMs: number | undefined },
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Takes every item still waiting, for a write that carries them along with its own work. */
  take(): TakenBatch<Item, Result> {
    const batch = this.#waiting;
    this.#waiting = [];
    return { items: batch.map((entry) => entry.item), settle: (outcome) => settle(batch, outcome) };
  }

  /** Resolves once every item added so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flush(): Promise<void> {
    // Each write gathers first, not only the first one: items that arrived during a write wait
    // their moment too, so that a taker can still carry them.
    for (;;) {
      if (this.options.gatherMs !== undefined) await this.#gather(this.options.gatherMs);
      if (this.#waiting.length === 0) break;
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        settle(batch, { results: await this.write(batch.map((entry) => entry.item)) });
      } catch (error) {
        settle(batch, { error });
      }
    }
    this.#flushing = undefined;
  }

  async #gather(gatherMs: number): Promise<void> {
    await new Promise((resolve) => (gatherMs === 0 ? setImmediate(resolve) : setTimeout(resolve, gatherMs)));
  }
}

function settle<Item, Result>(batch: Array<Waiting<Item, Result>>, outcome: { results: readonly Result[] } | { error: unknown }): void {
  if ('error' in outcome) {
    for (const entry of batch) entry.reject(outcome.error);
    return;
  }
  if (outcome.results.length !== batch.length) {
    const error = new Error(`a batched write answered ${outcome.results.length} results for ${batch.length} items`);
    for (const entry of batch) entry.reject(error);
    return;
  }
  batch.forEach((entry, index) => entry.resolve(outcome.results[index]!));
}
