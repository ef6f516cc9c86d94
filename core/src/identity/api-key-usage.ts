import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema.js';

/**
 * When each API key was last used, in the `api_key_usage` table. A key in steady use would
 * otherwise cost a write per request: each process writes a key's time at most once per
 * `throttleMs` (a minute by default), so `last_used_at` is exact to within that.
 *
 * @example
 * const usage = new ApiKeyUsage(database.db);
 * await usage.record(keyId, clock.now());
 * (await usage.lastUsed([keyId])).get(keyId); // a Date, or undefined when never used
 */
export class ApiKeyUsage {
  readonly #throttleMs: number;
  /** Per key, the time this process last wrote, in epoch milliseconds. */
  readonly #lastWritten = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    options: { throttleMs?: number } = {},
  ) {
    this.#throttleMs = options.throttleMs ?? 60_000;
  }

  /** Notes that `keyId` was used at `at`, unless this process already did so within the throttle. */
  async record(keyId: string, at: Date): Promise<void> {
    const previous = this.#lastWritten.get(keyId);
    if (previous !== undefined && at.getTime() - previous < this.#throttleMs) return;
    // Claimed before the write, so that concurrent requests with the same key write once.
    this.#lastWritten.set(keyId, at.getTime());
    try {
      await this.db
        .insertInto('api_key_usage')
        .values({ key_id: keyId, last_used_at: at })
        // Processes write in no particular order; the time only ever moves forward.
        .onConflict((conflict) =>
          conflict.column('key_id').doUpdateSet({ last_used_at: sql<Date>`greatest(api_key_usage.last_used_at, excluded.last_used_at)` }),
        )
        .execute();
    } catch (error) {
      // Let the next request try again rather than losing a minute of usage.
      if (previous === undefined) this.#lastWritten.delete(keyId);
      else this.#lastWritten.set(keyId, previous);
      throw error;
    }
  }

  /** The last use of each of `keyIds` that has been used; keys never used are absent. */
  async lastUsed(keyIds: readonly string[]): Promise<Map<string, Date>> {
    if (keyIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('api_key_usage').selectAll().where('key_id', 'in', keyIds).execute();
    return new Map(rows.map((row) => [row.key_id, new Date(row.last_used_at)]));
  }
}
