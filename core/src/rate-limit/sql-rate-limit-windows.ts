import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { RateLimitWindows } from './rate-limit-windows.js';

/** Callers waiting for their count in one key's window, gathered while an upsert for it runs. */
interface WaitingCounts {
  callers: Array<{ resolve(count: number): void; reject(error: unknown): void }>;
}

/**
 * Request counts in the `rate_limit_windows` table, so that every api process over the same
 * database counts against the same limit. Each count is an upsert that adds and answers the
 * new total, atomic under concurrent callers on PostgreSQL and PGlite alike.
 *
 * Every request of one org hits the same row, and concurrent upserts of one row queue on its
 * lock. So while an upsert for a key's window is running, this process gathers the requests
 * that arrive for it and counts them all in the next upsert (`count + n`): each caller still
 * gets its own exact position in the window, at one statement per round trip rather than per
 * request.
 *
 * Old windows are pruned by each process once per window: the first request it counts in a
 * new window deletes the windows that started more than `retainMs` before it (two minutes by
 * default, so a per-minute limit keeps the current and the previous window).
 */
export class SqlRateLimitWindows implements RateLimitWindows {
  readonly #retainMs: number;
  #lastPrunedWindow = 0;
  /** Slots with an upsert running, each with the callers that will go in the next one. */
  readonly #counting = new Map<string, WaitingCounts>();

  constructor(
    private readonly db: Kysely<Database>,
    options: { retainMs?: number } = {},
  ) {
    this.#retainMs = options.retainMs ?? 120_000;
  }

  increment(key: string, windowStart: number): Promise<number> {
    const slot = `${windowStart}:${key}`;
    return new Promise<number>((resolve, reject) => {
      const waiting = this.#counting.get(slot);
      if (waiting) {
        waiting.callers.push({ resolve, reject });
        return;
      }
      this.#counting.set(slot, { callers: [] });
      void this.#countBatches(slot, key, windowStart, [{ resolve, reject }]);
    });
  }

  /** Counts `callers` in one upsert, then whoever gathered meanwhile, until no one is waiting. */
  async #countBatches(slot: string, key: string, windowStart: number, callers: WaitingCounts['callers']): Promise<void> {
    for (let batch = callers; batch.length > 0; ) {
      try {
        const total = await this.#add(key, windowStart, batch.length);
        batch.forEach((caller, index) => caller.resolve(total - batch.length + index + 1));
      } catch (error) {
        for (const caller of batch) caller.reject(error);
      }
      const waiting = this.#counting.get(slot)!;
      batch = waiting.callers;
      waiting.callers = [];
    }
    this.#counting.delete(slot);
  }

  async #add(key: string, windowStart: number, requests: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_limit_windows')
      .values({ key, window_start: windowStart, count: requests })
      .onConflict((conflict) => conflict.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_windows.count + ${requests}` }))
      .returning('count')
      .executeTakeFirstOrThrow();
    if (windowStart > this.#lastPrunedWindow) await this.#prune(windowStart);
    return row.count;
  }

  async peek(key: string, windowStart: number): Promise<number> {
    const row = await this.db
      .selectFrom('rate_limit_windows')
      .select('count')
      .where('key', '=', key)
      .where('window_start', '=', windowStart)
      .executeTakeFirst();
    return row?.count ?? 0;
  }

  async #prune(windowStart: number): Promise<void> {
    this.#lastPrunedWindow = windowStart;
    await this.db.deleteFrom('rate_limit_windows').where('window_start', '<', windowStart - this.#retainMs).execute();
  }
}
