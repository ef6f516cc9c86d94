import { randomUUID } from 'node:crypto';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { PGliteDialect } from '../../src/database/pglite-dialect.js';
import { inThreadEngine } from '../../src/database/pglite-engine.js';
import type { Database } from '../../src/database/schema.js';
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

describe('SQL event log in one process', () => {
  it('wakes a consumer for its own subjects only, and catches it up at once over the many it skipped', async () => {
    const database = await createDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    // Polling this rarely cannot be what delivers the message: only the in-process signal can.
    const log = new SqlEventLog(database.db, { pollIntervalMs: 60_000 });
    await log.initialize();
    try {
      const handled: string[] = [];
      await log.consume('tasks', { consumer: 'wanted', subjectFilter: 'task.convert.wanted', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 }, async (delivery) => {
        handled.push(delivery.message.subject);
      });
      // More unmatched messages than one claim examines (1,000), none of them ringing the consumer.
      for (let index = 0; index < 1_500; index++) {
        await log.append('tasks', { subject: 'task.convert.other', messageId: `other-${index}`, payload: index });
      }
      await log.append('tasks', { subject: 'task.convert.wanted', messageId: 'wanted', payload: 'go' });

      const deadline = Date.now() + 10_000;
      while (handled.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(handled).toEqual(['task.convert.wanted']);
    } finally {
      await log.close();
      await database.close();
    }
  }, 60_000);

  /** An in-memory PGlite log that counts the claims its consumers make. */
  async function countingClaims() {
    let claims = 0;
    const engine = inThreadEngine(await PGlite.create({ parsers: { [pgliteTypes.INT8]: Number } }));
    const db = new Kysely<Database>({
      dialect: new PGliteDialect({ pglite: engine }),
      log: (event) => {
        // A claim, not the migration that creates the function.
        if (/^\s*select\b[\s\S]*\bfrom event_log_claim\(/.test(event.query.sql)) claims++;
      },
    });
    await migrateToLatest(db);
    // Polling this rarely cannot be what delivers a message: only the in-process signal can.
    const log = new SqlEventLog(db, { pollIntervalMs: 60_000 });
    await log.initialize();
    return { log, claims: () => claims, close: async () => (await log.close(), await db.destroy()) };
  }

  it('takes the next waiting message as soon as a busy member frees a slot', async () => {
    const { log, close } = await countingClaims();
    try {
      const handled: number[] = [];
      await log.consume('tasks', { consumer: 'one-at-a-time', subjectFilter: 'task.convert.x', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 }, async (delivery) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        handled.push(delivery.message.payload as number);
      });
      for (let index = 0; index < 5; index++) await log.append('tasks', { subject: 'task.convert.x', messageId: `m${index}`, payload: index });
      const deadline = Date.now() + 10_000;
      while (handled.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(handled).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await close();
    }
  }, 60_000);

  it('does not claim again when a slot frees and nothing more was appended', async () => {
    const { log, claims, close } = await countingClaims();
    try {
      let handled = 0;
      await log.consume('tasks', { consumer: 'idle', subjectFilter: 'task.convert.y', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 4 }, async () => {
        handled++;
      });
      // The member's first claim, on starting, finds nothing yet.
      for (const deadline = Date.now() + 10_000; claims() === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      for (let index = 0; index < 3; index++) {
        const before = claims();
        await log.append('tasks', { subject: 'task.convert.y', messageId: `m${index}`, payload: index });
        const deadline = Date.now() + 10_000;
        while (handled <= index && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, 100)); // time for any claim the freed slot would make
        expect(handled).toBe(index + 1);
        expect(claims() - before).toBe(1);
      }
    } finally {
      await close();
    }
  }, 60_000);
});
