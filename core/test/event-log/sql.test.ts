import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { runEventLogContract } from './contract.js';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Each test gets its own schema, dropped afterwards, so runs never see each other's messages.
runEventLogContract('SQL on PostgreSQL', async () => {
  const schema = `event_log_test_${randomUUID().replaceAll('-', '')}`;
  const database = await createDatabase({ kind: 'postgres', url: postgresUrl, schema });
  await migrateToLatest(database.db);
  return {
    log: new SqlEventLog(database.db),
    cleanup: async () => {
      await database.close();
      await dropPostgresSchema(schema);
    },
  };
});

// Starting PGlite (WASM + initdb) takes seconds, so the suite shares one in-memory instance and
// gives each test an empty database by recreating the schema and migrating again.
let pglite: Promise<DatabaseHandle> | undefined;
afterAll(async () => (await pglite)?.close());

runEventLogContract('SQL on PGlite', async () => {
  const database = await (pglite ??= createDatabase({ kind: 'pglite' }));
  await sql`drop schema public cascade`.execute(database.db);
  await sql`create schema public`.execute(database.db);
  await migrateToLatest(database.db);
  return { log: new SqlEventLog(database.db), cleanup: async () => {} };
});

async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
