import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { RateLimitWindows } from './rate-limit-windows.js';

/**
 * Request counts in the `rate_limit_windows` table, so that every api process over the same
 * database counts against the same limit. One statement per request: an upsert that adds one
 * and answers the new count, atomic under concurrent callers on PostgreSQL and PGlite alike.
 *
 * Old windows are pruned by each process once per window: the first request it counts in a
 * new window deletes the windows that started more than `retainMs` before it (two minutes by
 * default, so a per-minute limit keeps the current and the previous window).
 */
export class SqlRateLimitWindows implements RateLimitWindows {
  readonly #retainMs: number;
  #lastPrunedWindow = 0;

  constructor(
    private readonly db: Kysely<Database>,
    options: { retainMs?: number } = {},
  ) {
    this.#retainMs = options.retainMs ?? 120_000;
  }

  async increment(key: string, windowStart: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_limit_windows')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((conflict) => conflict.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_windows.count + 1` }))
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
