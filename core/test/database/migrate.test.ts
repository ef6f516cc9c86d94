import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { migrations } from '../../src/database/migrations/index.js';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const migrationCount = Object.keys(migrations).length;

async function onPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('migrations beside other schemas', () => {
  it('on PostgreSQL, migrates a schema while another schema of the database holds its own migration bookkeeping', async () => {
    const schemas = [`migrate_test_${randomUUID().replaceAll('-', '')}`, `migrate_test_${randomUUID().replaceAll('-', '')}`];
    try {
      for (const schema of schemas) {
        const database = await createDatabase({ kind: 'postgres', url: postgresUrl, schema });
        try {
          await migrateToLatest(database.db);
          // Started again on a migrated schema: nothing left to do.
          expect(await migrateToLatest(database.db)).toEqual([]);
        } finally {
          await database.close();
        }
      }
      // Each schema keeps its own record of every migration.
      const applied = await onPostgres(async (client) => {
        const counts: number[] = [];
        for (const schema of schemas) counts.push(Number((await client.query(`select count(*) as count from "${schema}".kysely_migration`)).rows[0].count));
        return counts;
      });
      expect(applied).toEqual([migrationCount, migrationCount]);
    } finally {
      await onPostgres(async (client) => {
        for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
      });
    }
  });

  it('on PGlite, keeps its bookkeeping in its own schema when another app left kysely tables in a second one', async () => {
    const database = await createDatabase({ kind: 'pglite' });
    try {
      await sql`create schema other_app`.execute(database.db);
      await sql`create table other_app.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(database.db);
      await sql`create table other_app.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)`.execute(database.db);

      const results = await migrateToLatest(database.db);

      expect(results).toHaveLength(migrationCount);
      expect(results.every((result) => result.status === 'Success')).toBe(true);
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from public.kysely_migration`.execute(database.db);
      expect(rows[0]!.count).toBe(migrationCount);
      const { rows: foreign } = await sql<{ count: number }>`select count(*)::int as count from other_app.kysely_migration`.execute(database.db);
      expect(foreign[0]!.count).toBe(0);
    } finally {
      await database.close();
    }
  });
});
