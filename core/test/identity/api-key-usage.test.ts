import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { ApiKeyUsage } from '../../src/identity/api-key-usage.js';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const noon = new Date('2024-05-01T12:00:00.000Z');
const later = (milliseconds: number) => new Date(noon.getTime() + milliseconds);

/** The same contract on both engines. */
function usageContract(name: string, open: () => Promise<{ database: DatabaseHandle; cleanup(): Promise<void> }>) {
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

usageContract('PGlite', async () => {
  const database = await createDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  return { database, cleanup: () => database.close() };
});

usageContract('PostgreSQL', async () => {
  const schema = `api_key_usage_test_${randomUUID().replaceAll('-', '')}`;
  const database = await createDatabase({ kind: 'postgres', url: postgresUrl, schema });
  await migrateToLatest(database.db);
  return {
    database,
    cleanup: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
    },
  };
});
