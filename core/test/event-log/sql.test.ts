import { randomUUID } from 'node:crypto';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { migrateToLatest } from '../../src/database/migrate.js';
import { PGliteDialect } from '../../src/database/pglite-dialect.js';
import { inThreadEngine } from '../../src/database/pglite-engine.js';
import type { Database } from '../../src/database/schema.js';
import { claimDeliveries, moveDeadline, registerConsumer } from '../../src/event-log/sql/consumer-claims.js';
import { SqlEventLog, type SqlEventLogOptions } from '../../src/event-log/sql/sql-event-log.js';
import type { EventLogTables } from '../../src/event-log/sql/tables.js';
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

  /** The statements of the log's own kinds, by kind (a select from the function, not the migration creating it). */
  const statementKinds = {
    claim: /^\s*select\b[\s\S]*\bfrom event_log_claim\(/,
    ackAndClaim: /^\s*select\b[\s\S]*\bfrom event_log_ack_and_claim\(/,
    ack: /^\s*delete from "event_log_deliveries"/,
    append: /^\s*select\b[\s\S]*\bfrom event_log_append\(/,
    appendBatch: /^\s*select\b[\s\S]*\bfrom event_log_append_batch\(/,
  };

  /** Resolves once `condition` holds (checked every millisecond), or after ten seconds. */
  async function until(condition: () => boolean): Promise<void> {
    for (const deadline = Date.now() + 10_000; !condition() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** An in-memory PGlite log that counts the statements it sends, by kind. */
  async function countingStatements(options: SqlEventLogOptions = { pollIntervalMs: 60_000 }) {
    const counts = Object.fromEntries(Object.keys(statementKinds).map((kind) => [kind, 0])) as Record<keyof typeof statementKinds, number>;
    const claimsEndedAt: number[] = [];
    const engine = inThreadEngine(await PGlite.create({ parsers: { [pgliteTypes.INT8]: Number } }));
    const db = new Kysely<Database>({
      dialect: new PGliteDialect({ pglite: engine }),
      log: (event) => {
        for (const [kind, pattern] of Object.entries(statementKinds)) if (pattern.test(event.query.sql)) counts[kind as keyof typeof statementKinds]++;
        if (statementKinds.claim.test(event.query.sql) || statementKinds.ackAndClaim.test(event.query.sql)) claimsEndedAt.push(performance.now());
      },
    });
    await migrateToLatest(db);
    // By default, polling this rarely cannot be what delivers a message: only the in-process signal can.
    const log = new SqlEventLog(db, options);
    await log.initialize();
    return { log, db, counts, claimsEndedAt, close: async () => (await log.close(), await db.destroy()) };
  }

  /** An in-memory PGlite log that counts the claims its consumers make. */
  async function countingClaims(options?: SqlEventLogOptions) {
    const { counts, ...rest } = await countingStatements(options);
    return { ...rest, claims: () => counts.claim + counts.ackAndClaim };
  }

  it('sends the appends made while one is being written as one statement, each answered on its own', async () => {
    const { log, counts, close } = await countingStatements();
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => log.append('events', { subject: `evt.conversion.${n}`, messageId: `m${n}`, payload: n })));
      // The first went out at once, alone; the other five waited for it and went together.
      expect(counts.append).toBe(1);
      expect(counts.appendBatch).toBe(1);
      expect(results.map((result) => result.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await close();
    }
  }, 60_000);

  it('keeps every stream contiguous when one batch appends to several', async () => {
    const { log, counts, close } = await countingStatements();
    try {
      const appends = [
        ['events', 'evt.file.a'],
        ['tasks', 'task.scan'],
        ['events', 'evt.file.b'],
        ['commands', 'cmd.file.a'],
        ['tasks', 'task.metadata'],
        ['events', 'evt.file.a'],
      ] as const;
      const first = log.append('events', { subject: 'evt.file.first', messageId: 'first', payload: 0 });
      const batched = appends.map(([stream, subject], index) => log.append(stream, { subject, messageId: `m${index}`, payload: index }));
      expect((await first).sequence).toBe(1);
      expect((await Promise.all(batched)).map((result) => result.sequence)).toEqual([2, 1, 3, 1, 2, 4]);
      expect(counts.appendBatch).toBe(1);
      // The stream rows moved on with the batch: the next appends continue from there.
      expect((await log.append('events', { subject: 'evt.file.c', messageId: 'after-events', payload: 'x' })).sequence).toBe(5);
      expect((await log.append('tasks', { subject: 'task.scan', messageId: 'after-tasks', payload: 'x' })).sequence).toBe(3);
      expect((await log.readStream('events', 0, 10)).map((message) => message.sequence)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await close();
    }
  }, 60_000);

  it('fails only the append the database refuses when it was sent with others', async () => {
    const { log, close } = await countingStatements();
    try {
      // jsonb cannot hold a NUL character: PostgreSQL refuses the payload.
      const [before, refused, after] = await Promise.allSettled([
        log.append('events', { subject: 'evt.file.a', messageId: 'before', payload: 'fine' }),
        log.append('events', { subject: 'evt.file.a', messageId: 'refused', payload: 'nul \u0000 inside' }),
        log.append('events', { subject: 'evt.file.a', messageId: 'after', payload: 'also fine' }),
      ]);
      expect(before.status).toBe('fulfilled');
      expect(refused.status).toBe('rejected');
      expect(after.status).toBe('fulfilled');
      expect((await log.readSubject('events', 'evt.file.a')).map((message) => message.payload)).toEqual(['fine', 'also fine']);
    } finally {
      await close();
    }
  }, 60_000);

  it("sends a handler's ack with the claim its freed slot makes while more work waits", async () => {
    const { log, db, counts, close } = await countingStatements();
    try {
      const handled: number[] = [];
      for (let index = 0; index < 6; index++) await log.append('tasks', { subject: 'task.convert.z', messageId: `m${index}`, payload: index });
      await log.consume('tasks', { consumer: 'riding', subjectFilter: 'task.convert.z', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 }, async (delivery) => {
        handled.push(delivery.message.payload as number);
      });
      const deadline = Date.now() + 10_000;
      while (handled.length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await log.close(); // settles the last ack
      expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
      // Each claim filled the member's one slot, so each freed slot claimed again (the last finding
      // nothing) and carried the ack of the message just handled: no ack went alone.
      expect(counts.ackAndClaim).toBe(6);
      expect(counts.ack).toBe(0);
      const unacked = await sql<{ count: number }>`select count(*)::int as count from event_log_deliveries where consumer = 'riding'`.execute(db);
      expect(unacked.rows[0]!.count).toBe(0);
    } finally {
      await close();
    }
  }, 60_000);

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
  it('leases newly admitted messages in the claim that admits them, oldest available first, the rest left available', async () => {
    const { log, db, close } = await countingStatements();
    try {
      const key = { stream: 'tasks' as const, consumer: 'direct' };
      // The bookkeeping functions take the log's tables only (kysely's schema type is invariant).
      const logDb = db as unknown as Kysely<EventLogTables>;
      const claim = async (limit: number, on: Kysely<EventLogTables> = logDb) => {
        const { claimed } = await claimDeliveries(on, { ...key, limit, ackWaitMs: 60_000, maxDeliver: 5 }, async () => {});
        return claimed.map(({ message, deliveryCount }) => [message.payload, deliveryCount]);
      };
      const waiting = async () =>
        (await db.selectFrom('event_log_deliveries').select(['sequence', 'delivery_count']).where('consumer', '=', key.consumer).orderBy('sequence').execute()).map(
          (row) => [Number(row.sequence), row.delivery_count],
        );
      await registerConsumer(logDb, key, 'task.convert.q');
      for (let index = 1; index <= 4; index++) await log.append('tasks', { subject: 'task.convert.q', messageId: `m${index}`, payload: index });

      const firstClaim = await logDb.transaction().execute(async (trx) => {
        const claimed = await claim(1, trx);
        const { rows } = await sql<{ inserted: number; updated: number }>`
          select n_tup_ins::int as inserted, n_tup_upd::int as updated from pg_stat_xact_user_tables where relname = 'event_log_deliveries'
        `.execute(trx);
        return { claimed, writes: rows[0] };
      });
      expect(firstClaim.claimed).toEqual([[1, 1]]);
      // Each delivery row is written once: the one that fitted in the limit is inserted leased.
      expect(firstClaim.writes).toEqual({ inserted: 4, updated: 0 });
      // Admitted all four at once: the one that fitted is leased, the rest wait, never delivered.
      expect(await waiting()).toEqual([[1, 1], [2, 0], [3, 0], [4, 0]]);
      await moveDeadline(logDb, key, { sequence: 1, deliveryCount: 1 }, 0);
      expect(await claim(2)).toEqual([[1, 2], [2, 1]]);
      await log.append('tasks', { subject: 'task.convert.q', messageId: 'm5', payload: 5 });
      // What waited goes first, then what this claim admits, in one claim.
      expect(await claim(10)).toEqual([[3, 1], [4, 1], [5, 1]]);
      expect(await waiting()).toEqual([[1, 2], [2, 1], [3, 1], [4, 1], [5, 1]]);
      expect(await claim(10)).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
  it('after a claim of eight messages or more, waits a moment before it claims again', async () => {
    const { log, claimsEndedAt, close } = await countingStatements();
    try {
      let handled = 0;
      for (let index = 0; index < 8; index++) await log.append('tasks', { subject: 'task.convert.w', messageId: `m${index}`, payload: index });
      await log.consume('tasks', { consumer: 'busy', subjectFilter: 'task.convert.w', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 32 }, async () => {
        handled++;
      });
      await until(() => handled === 8);
      const claimsAfterBusyOne = claimsEndedAt.length;
      const firstClaimEndedAt = claimsEndedAt.at(-1)!;
      // Rung at once for this one, the member claims only after its pause.
      await log.append('tasks', { subject: 'task.convert.w', messageId: 'm8', payload: 8 });
      await until(() => handled === 9);
      expect(claimsEndedAt.length).toBe(claimsAfterBusyOne + 1);
      expect(claimsEndedAt.at(-1)! - firstClaimEndedAt).toBeGreaterThanOrEqual(15);

      // A claim of fewer brings no pause: the next one goes as soon as it is rung.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const quietSince = performance.now();
      await log.append('tasks', { subject: 'task.convert.w', messageId: 'm9', payload: 9 });
      await until(() => handled === 10);
      expect(claimsEndedAt.at(-1)! - quietSince).toBeLessThan(15);
    } finally {
      await close();
    }
  }, 60_000);
  it('with work waiting, claims when half its slots are free rather than for each slot, and never waits long for the rest', async () => {
    const { log, claimsEndedAt, close } = await countingStatements();
    try {
      const releases: Array<() => void> = [];
      const started: number[] = [];
      for (let index = 0; index < 8; index++) await log.append('tasks', { subject: 'task.convert.v', messageId: `m${index}`, payload: index });
      await log.consume('tasks', { consumer: 'gathering', subjectFilter: 'task.convert.v', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 4 }, async (delivery) => {
        started.push(delivery.message.payload as number);
        await new Promise<void>((resolve) => releases.push(resolve));
      });
      await until(() => started.length === 4);
      const claimsWhenFull = claimsEndedAt.length;

      releases[0]!(); // one slot of four: not worth a claim yet
      await new Promise((resolve) => setTimeout(resolve, 3));
      expect(claimsEndedAt.length).toBe(claimsWhenFull);
      releases[1]!(); // two of four: one claim for both
      await until(() => started.length === 6);
      expect(started).toEqual([0, 1, 2, 3, 4, 5]);
      expect(claimsEndedAt.length).toBe(claimsWhenFull + 1);

      const freedAt = performance.now();
      releases[2]!(); // one slot, and no other frees: claimed for after a short wait
      await until(() => started.length === 7);
      expect(started.at(-1)).toBe(6);
      expect(performance.now() - freedAt).toBeLessThan(1_000);
      for (const release of releases) release();
      await until(() => started.length === 8);
      for (const release of releases) release();
    } finally {
      await close();
    }
  }, 60_000);

  it('offers a failed delivery again once its retry delay is over, without waiting for the poll', async () => {
    const { log, close } = await countingStatements();
    try {
      const deliveredAt: number[] = [];
      await log.consume('tasks', { consumer: 'retrying', subjectFilter: 'task.scan', ackWaitMs: 30_000, maxDeliver: 3, concurrency: 1 }, async () => {
        deliveredAt.push(performance.now());
        if (deliveredAt.length === 1) throw new Error('a passing fault');
      });
      await log.append('tasks', { subject: 'task.scan', messageId: 'flaky', payload: 'x' });
      await until(() => deliveredAt.length === 2);
      // The first retry waits 250 ms; the next poll would come a minute later.
      expect(deliveredAt).toHaveLength(2);
      expect(deliveredAt[1]! - deliveredAt[0]!).toBeGreaterThanOrEqual(240);
    } finally {
      await close();
    }
  }, 60_000);

  it('claims less and less often while nothing arrives, and still takes an append at once', async () => {
    const { log, claims, close } = await countingClaims({ pollIntervalMs: 10, idlePollMaxMs: 60_000 });
    try {
      const handled: unknown[] = [];
      await log.consume('tasks', { consumer: 'idle', subjectFilter: 'task.scan', ackWaitMs: 5_000, maxDeliver: 3, concurrency: 1 }, async (delivery) => {
        handled.push(delivery.message.payload);
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // At a steady 10 ms that second would have taken about 100 claims; doubling waits take about 8.
      expect(claims()).toBeLessThan(15);
      await log.append('tasks', { subject: 'task.scan', messageId: 'late', payload: 'late' });
      await until(() => handled.length === 1);
      expect(handled).toEqual(['late']);
    } finally {
      await close();
    }
  }, 60_000);

  it('has a follower read less and less often while the stream is quiet, and still yields an append at once', async () => {
    const { log, close } = await countingStatements({ pollIntervalMs: 10, idlePollMaxMs: 60_000 });
    const feed = log.follow('events', { afterSequence: 0 });
    try {
      const reads = vi.spyOn(log, 'readStream');
      const batches: unknown[][] = [];
      const following = (async () => {
        for await (const batch of feed) batches.push(batch.map((message) => message.payload));
      })();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(reads.mock.calls.length).toBeLessThan(15);
      await log.append('events', { subject: 'evt.file.quiet', messageId: 'quiet', payload: 'news' });
      await until(() => batches.length === 1);
      expect(batches).toEqual([['news']]);
      await feed.close();
      await following;
    } finally {
      await feed.close();
      await close();
    }
  }, 60_000);
});
