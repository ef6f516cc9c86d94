import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/database/connect.js';
import { ApiKeyUsage } from '../../src/identity/api-key-usage.js';
import { migratedPglite, migratedPostgresSchema, type TestDatabase } from '../support/test-databases.js';

const noon = new Date('2024-05-01T12:00:00.000Z');
const later = (milliseconds: number) => new Date(noon.getTime() + milliseconds);

/** The same contract on both engines. */
function usageContract(name: string, open: () => Promise<TestDatabase>) {
  describe(`ApiKeyUsage on ${name}`, () => {
    let database: DatabaseHandle;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ database, cleanup } = await open()));
    afterAll(() => cleanup());
    afterEach(async () => {
      await database.db.deleteFrom('api_key_usage').execute();
    });

    it('answers nothing for keys never used', async () => {
      const usage = new ApiKeyUsage(database.db);
      expect(await usage.lastUsed([])).toEqual(new Map());
      expect(await usage.lastUsed(['never'])).toEqual(new Map());
    });

    it('records the last use of each key', async () => {
      const usage = new ApiKeyUsage(database.db);
      await usage.record('k1', noon);
      await usage.record('k2', later(5_000));
      expect(await usage.lastUsed(['k1', 'k2', 'k3'])).toEqual(new Map([['k1', noon], ['k2', later(5_000)]]));
    });

    it('writes a key at most once a minute per process', async () => {
      const usage = new ApiKeyUsage(database.db);
      await usage.record('k1', noon);
      await usage.record('k1', later(59_999));
      expect((await usage.lastUsed(['k1'])).get('k1')).toEqual(noon);
      await usage.record('k1', later(60_000));
      expect((await usage.lastUsed(['k1'])).get('k1')).toEqual(later(60_000));
    });

    it('never moves a key’s time backwards when processes write out of order', async () => {
      const recent = new ApiKeyUsage(database.db);
      const late = new ApiKeyUsage(database.db);
      await recent.record('k1', later(30_000));
      await late.record('k1', noon);
      expect((await recent.lastUsed(['k1'])).get('k1')).toEqual(later(30_000));
    });

    it('tries again on the next use when a write fails', async () => {
      const usage = new ApiKeyUsage(database.db);
      await sql`alter table api_key_usage rename to api_key_usage_away`.execute(database.db);
      try {
        await expect(usage.record('k1', noon)).rejects.toThrow();
      } finally {
        await sql`alter table api_key_usage_away rename to api_key_usage`.execute(database.db);
      }
      await usage.record('k1', later(1_000));
      expect((await usage.lastUsed(['k1'])).get('k1')).toEqual(later(1_000));
    });
  });
}

usageContract('PGlite', migratedPglite);
usageContract('PostgreSQL', () => migratedPostgresSchema('api_key_usage_test'));
