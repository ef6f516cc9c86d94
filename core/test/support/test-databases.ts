import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated database for one test suite, and how to be rid of it. */
export interface TestDatabase {
  database: DatabaseHandle;
  cleanup(): Promise<void>;
}

/** An in-memory PGlite, migrated. */
export async function migratedPglite(): Promise<TestDatabase> {
  const database = await createDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  return { database, cleanup: () => database.close() };
}

/** A schema of its own (`<prefix>_<uuid>`) in the test PostgreSQL, migrated; dropped on cleanup. */
export async function migratedPostgresSchema(prefix: string): Promise<TestDatabase> {
  const schema = `${prefix}_${randomUUID().replaceAll('-', '')}`;
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
}
