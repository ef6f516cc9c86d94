import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';
import { openPGliteThread } from '../../src/database/pglite-thread.js';

interface CounterTables {
  counters: { name: string; value: number };
}

/** In memory PGlite runs in the test's thread; on disk, in a thread of its own. The dialect must not tell them apart. */
const engines = [
  { where: 'in memory, in this thread', dataDir: async () => undefined },
  { where: 'on disk, in its own thread', dataDir: () => mkdtemp(join(tmpdir(), 'conveyor-pglite-')) },
];

describe.each(engines)('PGlite dialect ($where)', ({ dataDir }) => {
  let database: DatabaseHandle;
  let db: Kysely<CounterTables>;
  let dir: string | undefined;

  beforeAll(async () => {
    dir = await dataDir();
    database = await createDatabase({ kind: 'pglite', dir });
    db = database.db as unknown as Kysely<CounterTables>;
    await sql`create table counters (name text primary key, value bigint not null)`.execute(db);
  });
  afterAll(async () => {
    await database.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await sql`truncate counters`.execute(db);
    await db.insertInto('counters').values({ name: 'c', value: 0 }).execute();
  });

  const readCounter = async (executor: Kysely<CounterTables>) =>
    (await executor.selectFrom('counters').select('value').where('name', '=', 'c').executeTakeFirstOrThrow()).value;

  it('runs concurrent transactions one after another: no read-modify-write is lost', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const value = await readCounter(trx);
          await new Promise((resolve) => setTimeout(resolve, 1)); // invite another transaction in
          await trx.updateTable('counters').set({ value: value + 1 }).where('name', '=', 'c').execute();
        }),
      ),
    );

    expect(await readCounter(db)).toBe(20);
  });

  it('rolls back a failed transaction without disturbing concurrent ones', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.updateTable('counters').set({ value: 100 }).where('name', '=', 'c').execute();
      throw new Error('abandon');
    });
    const succeeding = db.transaction().execute((trx) =>
      trx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', 'c').execute(),
    );

    await expect(failing).rejects.toThrow('abandon');
    await succeeding;
    expect(await readCounter(db)).toBe(1);
  });

  it('returns bigint columns as numbers and reports affected rows', async () => {
    const result = await db.updateTable('counters').set({ value: 2 ** 40 }).where('name', '=', 'c').executeTakeFirst();

    expect(result.numUpdatedRows).toBe(1n);
    expect(await readCounter(db)).toBe(2 ** 40);
  });

  it('supports savepoints inside a controlled transaction', async () => {
    const trx = await db.startTransaction().execute();
    await trx.updateTable('counters').set({ value: 1 }).where('name', '=', 'c').execute();
    const savepoint = await trx.savepoint('before_mistake').execute();
    await savepoint.updateTable('counters').set({ value: 99 }).where('name', '=', 'c').execute();
    await savepoint.rollbackToSavepoint('before_mistake').execute();
    await trx.commit().execute();

    expect(await readCounter(db)).toBe(1);
  });

  it('fails a statement with the PostgreSQL error, its code and constraint, and goes on', async () => {
    const duplicate = db.insertInto('counters').values({ name: 'c', value: 1 }).execute();

    await expect(duplicate).rejects.toMatchObject({ code: '23505', constraint: 'counters_pkey', message: expect.stringContaining('duplicate key') });
    expect(await readCounter(db)).toBe(0);
  });

  it('round-trips dates, JSON and bytes', async () => {
    const when = new Date('2026-12-04T10:00:00.000Z');
    const { rows } = await sql<{ at: Date; doc: { a: number[] }; bytes: Uint8Array }>`select ${when}::timestamptz as at, ${JSON.stringify({ a: [1, 2] })}::jsonb as doc, ${Buffer.from([0, 255])}::bytea as bytes`.execute(db);

    expect(rows[0]!.at.toISOString()).toBe(when.toISOString());
    expect(rows[0]!.doc).toEqual({ a: [1, 2] });
    expect([...rows[0]!.bytes]).toEqual([0, 255]);
  });
});

describe('PGlite on disk, in its own thread', () => {
  it('keeps what was committed when it is closed and opened again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conveyor-pglite-'));
    try {
      const first = await createDatabase({ kind: 'pglite', dir });
      await sql`create table notes (body text)`.execute(first.db);
      await sql`insert into notes values ('kept')`.execute(first.db);
      await first.close();

      const second = await createDatabase({ kind: 'pglite', dir });
      const { rows } = await sql<{ body: string }>`select body from notes`.execute(second.db);
      await second.close();
      expect(rows).toEqual([{ body: 'kept' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses statements once closed, without hanging', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conveyor-pglite-'));
    const engine = await openPGliteThread(dir);
    await engine.close();
    await expect(engine.query('select 1', [])).rejects.toThrow(/PGlite thread/);
    await rm(dir, { recursive: true, force: true });
  });
});
