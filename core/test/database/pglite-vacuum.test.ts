import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PGliteDialect } from '../../src/database/pglite-dialect.js';
import { inThreadEngine } from '../../src/database/pglite-engine.js';
import { VacuumSchedule } from '../../src/database/pglite-vacuum.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('VacuumSchedule', () => {
  const schedules: VacuumSchedule[] = [];
  afterEach(async () => {
    await Promise.all(schedules.splice(0).map((schedule) => schedule.stop()));
  });

  it('vacuums once per interval in which statements ran, and not while the database is idle', async () => {
    let runs = 0;
    const schedule = new VacuumSchedule(async () => void runs++, 10);
    schedules.push(schedule);

    await pause(60);
    expect(runs).toBe(0);

    schedule.noteStatement();
    schedule.noteStatement();
    await pause(60);
    expect(runs).toBe(1);
  });

  it('never starts a run while one is in progress, and stop waits for it', async () => {
    let running = 0;
    let overlapped = false;
    let finished = 0;
    const schedule = new VacuumSchedule(async () => {
      overlapped ||= running > 0;
      running++;
      await pause(50);
      running--;
      finished++;
    }, 5);

    const noting = setInterval(() => schedule.noteStatement(), 1);
    await pause(120);
    clearInterval(noting);
    await schedule.stop();

    expect(overlapped).toBe(false);
    expect(running).toBe(0);
    expect(finished).toBeGreaterThanOrEqual(1);
  });

  it('keeps going after a run fails', async () => {
    let calls = 0;
    const schedule = new VacuumSchedule(async () => {
      calls++;
      throw new Error('database closed');
    }, 5);
    schedules.push(schedule);

    for (let i = 0; i < 3; i++) {
      schedule.noteStatement();
      await pause(20);
    }
    expect(calls).toBe(3);
  });
});

describe('PGlite dialect vacuuming', () => {
  interface Tables {
    deliveries: { sequence: number };
  }
  let db: Kysely<Tables> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  /** VACUUM records the live row count in pg_class; before the first one it is -1 (never measured). */
  const liveRowsRecorded = async (executor: Kysely<Tables>) =>
    (await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'deliveries'`.execute(executor)).rows[0]!.reltuples;

  it('vacuums a database that was written to, between transactions, without disturbing them', async () => {
    db = new Kysely<Tables>({ dialect: new PGliteDialect({ pglite: inThreadEngine(await PGlite.create()), vacuumIntervalMs: 10 }) });
    await sql`create table deliveries (sequence bigint primary key)`.execute(db);
    const trx = await db.startTransaction().execute();
    await trx.insertInto('deliveries').values(Array.from({ length: 200 }, (_, i) => ({ sequence: i }))).execute();
    await trx.deleteFrom('deliveries').where('sequence', '<', 150).execute();
    await pause(50); // several ticks while the transaction holds the connection
    expect(await liveRowsRecorded(trx)).toBe(-1);
    await trx.commit().execute();

    let recorded = -1;
    for (let waited = 0; recorded !== 50 && waited < 2_000; waited += 10) {
      await pause(10);
      recorded = await liveRowsRecorded(db);
    }
    expect(recorded).toBe(50);
  });

  it('does not vacuum again while only reads run, and does once something is written', async () => {
    const engine = inThreadEngine(await PGlite.create());
    const sent: string[] = [];
    const counting = { ...engine, query: ((text: string, parameters: readonly unknown[]) => (sent.push(text), engine.query(text, parameters))) as typeof engine.query };
    db = new Kysely<Tables>({ dialect: new PGliteDialect({ pglite: counting, vacuumIntervalMs: 10 }) });
    const vacuums = () => sent.filter((text) => text === 'vacuum').length;
    await sql`create table deliveries (sequence bigint primary key)`.execute(db);
    await db.insertInto('deliveries').values({ sequence: 1 }).execute();
    const readFor = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        await db!.selectFrom('deliveries').selectAll().execute(); // a statement in every interval
        await pause(3);
      }
    };
    await readFor(150); // the write's vacuum, and the one its own WAL asks for
    const settled = vacuums();
    expect(settled).toBeGreaterThanOrEqual(1);

    await readFor(200); // about 20 intervals with statements in them
    expect(vacuums()).toBe(settled);

    await db.deleteFrom('deliveries').execute();
    for (let waited = 0; vacuums() === settled && waited < 2_000; waited += 10) await pause(10);
    expect(vacuums()).toBeGreaterThan(settled);
  });
});
