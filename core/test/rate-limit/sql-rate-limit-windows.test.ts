import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/database/connect.js';
import { SqlRateLimitWindows } from '../../src/rate-limit/sql-rate-limit-windows.js';
import { migratedPglite, migratedPostgresSchema, type TestDatabase } from '../support/test-databases.js';

const minute = 60_000;
const window = 1_700_000_040_000; // a minute boundary

async function windowsLeft(database: DatabaseHandle): Promise<Array<{ key: string; window_start: number; count: number }>> {
  return database.db.selectFrom('rate_limit_windows').selectAll().orderBy('window_start').orderBy('key').execute();
}

/** Counts the INSERT statements (the upserts) a Kysely instance sends. */
function countingInserts(): { plugin: KyselyPlugin; inserts: () => number } {
  let inserts = 0;
  return {
    plugin: {
      transformQuery(args) {
        if (args.node.kind === 'InsertQueryNode') inserts++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    inserts: () => inserts,
  };
}

/** The same contract on both engines: what holds on PGlite must hold on PostgreSQL, across connections. */
function sqlWindowsContract(name: string, open: () => Promise<TestDatabase>) {
  describe(`SqlRateLimitWindows on ${name}`, () => {
    let database: DatabaseHandle;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ database, cleanup } = await open()));
    afterAll(() => cleanup());
    afterEach(async () => {
      await database.db.deleteFrom('rate_limit_windows').execute();
    });

    it('counts per key and window, and peeks without counting', async () => {
      const windows = new SqlRateLimitWindows(database.db);
      expect(await windows.peek('org:a', window)).toBe(0);
      expect(await windows.increment('org:a', window)).toBe(1);
      expect(await windows.increment('org:a', window)).toBe(2);
      expect(await windows.increment('org:b', window)).toBe(1);
      expect(await windows.increment('org:a', window + minute)).toBe(1);
      expect(await windows.peek('org:a', window)).toBe(2);
      expect(await windows.peek('org:a', window)).toBe(2);
    });

    it('never loses or repeats a count when many callers, in two processes, count at once', async () => {
      const first = new SqlRateLimitWindows(database.db);
      const second = new SqlRateLimitWindows(database.db);
      const counts = await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 ? first : second).increment('ip:1.2.3.4', window)));
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    });

    it('counts the requests that arrive while an upsert runs in one upsert, each with its own position', async () => {
      const counter = countingInserts();
      const windows = new SqlRateLimitWindows(database.db.withPlugin(counter.plugin));
      const counts = await Promise.all(Array.from({ length: 30 }, () => windows.increment('org:busy', window)));
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
      expect(counter.inserts()).toBeLessThanOrEqual(3);
      expect(await windows.increment('org:busy', window)).toBe(31);
      expect(await windows.peek('org:busy', window)).toBe(31);
    });

    it('fails every caller whose upsert fails, and counts later callers as if none had come', async () => {
      let databaseDown = true;
      const outage: KyselyPlugin = {
        transformQuery(args) {
          if (databaseDown && args.node.kind === 'InsertQueryNode') throw new Error('database down');
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const windows = new SqlRateLimitWindows(database.db.withPlugin(outage));
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => windows.increment('org:x', window)));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(5).fill('rejected'));
      databaseDown = false;
      expect(await windows.increment('org:x', window)).toBe(1);
    });

    it('prunes windows older than two minutes once per new window, keeping the recent ones', async () => {
      const windows = new SqlRateLimitWindows(database.db);
      for (const start of [window - 3 * minute, window - 2 * minute, window - minute]) await windows.increment('org:a', start);
      await windows.increment('org:b', window);
      expect((await windowsLeft(database)).map((row) => row.window_start)).toEqual([window - 2 * minute, window - minute, window]);
    });
  });
}

sqlWindowsContract('PGlite', migratedPglite);
sqlWindowsContract('PostgreSQL', () => migratedPostgresSchema('rate_limit_test'));
