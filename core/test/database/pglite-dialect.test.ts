import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/database/connect.js';

interface CounterTables {
  counters: { name: string; value: number };
}

describe('PGlite dialect', () => {
  let database: DatabaseHandle;
  let db: Kysely<CounterTables>;

  beforeAll(async () => {
    database = await createDatabase({ kind: 'pglite' });
    db = database.db as unknown as Kysely<CounterTables>;
    await sql`create table counters (name text primary key, value bigint not null)`.execute(db);
  });
  afterAll(() => database.close());
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
});
