import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PGliteDialect } from '../../src/database/pglite-dialect.js';
import type { PGliteEngine } from '../../src/database/pglite-engine.js';

/** An engine that records what it is sent and answers only when told to. */
class HeldEngine implements PGliteEngine {
  readonly sent: string[] = [];
  readonly #answers: Array<() => void> = [];

  query<Row>(statement: string): Promise<{ rows: Row[] }> {
    this.sent.push(statement);
    return new Promise((resolve) => this.#answers.push(() => resolve({ rows: [] })));
  }

  /** Answers the oldest statement not yet answered. */
  answerNext(): void {
    this.#answers.shift()?.();
  }

  async close(): Promise<void> {}
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('PGlite connection gate', () => {
  let db: Kysely<any> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  const open = (engine: HeldEngine) => (db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: engine, vacuumIntervalMs: 60_000 }) }));

  it('sends statements outside a transaction without waiting for the answers to earlier ones', async () => {
    const engine = new HeldEngine();
    const database = open(engine);
    const queries = ['select 1', 'select 2', 'select 3'].map((text) => sql.raw(text).execute(database));
    await settle();
    expect(engine.sent).toEqual(['select 1', 'select 2', 'select 3']);
    for (let i = 0; i < 3; i++) engine.answerNext();
    await Promise.all(queries);
  });

  it('holds statements that arrive during a transaction until it ends, and sends them after its COMMIT', async () => {
    const engine = new HeldEngine();
    const database = open(engine);
    const transaction = database.transaction().execute(async (trx) => {
      await sql.raw('update inside').execute(trx);
    });
    await settle();
    const outside = sql.raw('select outside').execute(database);
    await settle();
    expect(engine.sent).toEqual(['start transaction']);

    engine.answerNext(); // start transaction
    await settle();
    expect(engine.sent).toEqual(['start transaction', 'update inside']);
    engine.answerNext(); // update inside
    await settle();
    expect(engine.sent).toEqual(['start transaction', 'update inside', 'commit']);
    engine.answerNext(); // commit
    await transaction;
    await settle();
    expect(engine.sent.at(-1)).toBe('select outside');
    engine.answerNext();
    await outside;
  });

  it('opens transactions one at a time, in the order they asked', async () => {
    const engine = new HeldEngine();
    const database = open(engine);
    const first = database.transaction().execute((trx) => sql.raw('first').execute(trx));
    const second = database.transaction().execute((trx) => sql.raw('second').execute(trx));
    for (let i = 0; i < 6; i++) {
      await settle();
      engine.answerNext();
    }
    await Promise.all([first, second]);
    expect(engine.sent).toEqual(['start transaction', 'first', 'commit', 'start transaction', 'second', 'commit']);
  });
});

describe('PGlite connection gate on a real PGlite', () => {
  let db: Kysely<any> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it('keeps a statement sent during a transaction out of it: the rollback does not undo it', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { inThreadEngine } = await import('../../src/database/pglite-engine.js');
    const database = (db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: inThreadEngine(await PGlite.create()) }) }));
    await sql`create table notes (text text primary key)`.execute(database);
    let outside: Promise<unknown> | undefined;
    const abandoned = database.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ text: 'inside' }).execute();
      outside = database.insertInto('notes').values({ text: 'outside' }).execute();
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('abandon');
    });
    await expect(abandoned).rejects.toThrow('abandon');
    await outside;
    expect((await database.selectFrom('notes').select('text').execute()).map((row) => row.text)).toEqual(['outside']);
  });

  it('gives the connection up after a COMMIT that fails, without rolling back the next transaction', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { inThreadEngine } = await import('../../src/database/pglite-engine.js');
    const database = (db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: inThreadEngine(await PGlite.create()) }) }));
    // A deferred key is checked at COMMIT, so the duplicate makes the COMMIT itself fail.
    await sql`create table notes (text text primary key deferrable initially deferred)`.execute(database);
    const failing = database.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values([{ text: 'twice' }, { text: 'twice' }]).execute();
    });
    const next = database.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ text: 'kept' }).execute();
      await new Promise((resolve) => setTimeout(resolve, 10)); // open while the failed one is rolled back
      await trx.insertInto('notes').values({ text: 'kept too' }).execute();
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    await next;
    expect((await database.selectFrom('notes').select('text').orderBy('text').execute()).map((row) => row.text)).toEqual(['kept', 'kept too']);
  });
});
