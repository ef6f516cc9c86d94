import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandHandler } from '../../src/aggregates/command-handler.js';
import type { DatabaseHandle } from '../../src/database/connect.js';
import type { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { ProjectionNotifier } from '../../src/projections/projection-notifier.js';
import { ReadModelProjector } from '../../src/projections/read-model-projector.js';
import { ReadModelQueries } from '../../src/read-models/queries.js';
import { randomIds } from '../../src/system/ids.js';
import { registerUpload, runConversion } from '../support/conversion-history.js';
import { projectionFixture, type ProjectionFixture } from './projection-fixture.js';

describe('read-model replay', () => {
  let database: DatabaseHandle;
  let log: SqlEventLog;
  let commands: CommandHandler;
  let projector: ReadModelProjector;
  let tick = Date.parse('2026-11-25T10:00:00.000Z');
  const clock = { now: () => new Date((tick += 250)) };

  let fixture: ProjectionFixture;

  beforeEach(async () => {
    fixture = await projectionFixture(clock);
    ({ database, log, commands, projector } = fixture);
  });

  afterEach(() => fixture.close());

  async function runJob(jobId: string, succeed: boolean): Promise<void> {
    const fileId = randomIds.next();
    await registerUpload(commands, clock, fileId);
    await runConversion(commands, clock, { jobId, fileId, succeed, progressPct: 40 });
  }


  const snapshot = async () => ({
    files: await database.db.selectFrom('files').selectAll().orderBy('id').execute(),
    jobs: await database.db.selectFrom('conversion_jobs').selectAll().orderBy('id').execute(),
    usage: await database.db.selectFrom('org_usage').selectAll().orderBy('org_id').execute(),
  });

  it('rebuilds rows equal to the originals from the event log', async () => {
    await runJob(randomIds.next(), true);
    await runJob(randomIds.next(), false);
    await runJob(randomIds.next(), true);
    expect(await projector.catchUp(7)).toBeGreaterThan(0);
    const original = await snapshot();
    expect(original.jobs.map((job) => job.status).sort()).toEqual(['completed', 'completed', 'failed']);
    expect(original.files).toHaveLength(5);
    expect(original.usage).toEqual([{ org_id: 'org1', storage_bytes: 5 * 1234, file_count: 5, active_jobs: 0 }]);

    await projector.reset();
    expect((await snapshot()).jobs).toHaveLength(0);
    await projector.catchUp(3);
    expect(await snapshot()).toEqual(original);
  });

  it('applies a batch only once, even when it is handed over again', async () => {
    await runJob(randomIds.next(), true);
    const events = await log.readStream('events', 0, 100);
    expect(await projector.apply(events)).toBe(events.length);
    const once = await snapshot();
    expect(await projector.apply(events)).toBe(0);
    expect(await snapshot()).toEqual(once);
  });

  it('after a batch of eight events or more, waits a moment before it reads the next', async () => {
    await runJob(randomIds.next(), true);
    const applies: Array<{ size: number; startedAt: number; endedAt: number }> = [];
    const apply = projector.apply.bind(projector);
    vi.spyOn(projector, 'apply').mockImplementation(async (batch) => {
      const startedAt = performance.now();
      const applied = await apply(batch);
      applies.push({ size: batch.length, startedAt, endedAt: performance.now() });
      return applied;
    });
    const until = async (condition: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !condition() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    projector.start();
    try {
      await until(() => applies.length === 1);
      expect(applies[0]!.size).toBeGreaterThanOrEqual(8);
      // The next job's first event is in the log within a few milliseconds; its batch waits.
      await runJob(randomIds.next(), true);
      await until(() => applies.length >= 2);
      expect(applies[1]!.startedAt - applies[0]!.endedAt).toBeGreaterThanOrEqual(15);
    } finally {
      await projector.stop();
    }
  });

  it('lets its readers know while it follows the log', async () => {
    const notifier = new ProjectionNotifier();
    const following = new ReadModelProjector(database.db, log, pino({ level: 'silent' }), notifier);
    expect(notifier.projectorRuns).toBe(false);
    following.start();
    expect(notifier.projectorRuns).toBe(true);
    await following.stop();
    expect(notifier.projectorRuns).toBe(false);
  });

  it('tells its readers of a batch another projector applied first, and keeps the checkpoint where it was', async () => {
    const jobId = randomIds.next();
    await runJob(jobId, true);
    const events = await log.readStream('events', 0, 100);
    await projector.apply(events);
    const checkpoint = async () => (await database.db.selectFrom('projection_checkpoints').select('sequence').executeTakeFirstOrThrow()).sequence;
    expect(Number(await checkpoint())).toBe(events.at(-1)!.sequence);

    const notifier = new ProjectionNotifier();
    const otherProcess = new ReadModelProjector(database.db, log, pino({ level: 'silent' }), notifier);
    const woken = notifier.nextProjection(jobId, 5_000, new Set(['ConversionCompleted']));
    const started = Date.now();
    // An older batch, as a projector that fell behind would be handed it: nothing new, nothing moved back.
    expect(await otherProcess.apply(events.slice(0, 3))).toBe(0);
    expect(await otherProcess.apply(events)).toBe(0);
    await woken.settled;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(Number(await checkpoint())).toBe(events.at(-1)!.sequence);
  });

  it('tells its readers the job rows it wrote, as a read shows them', async () => {
    const jobId = randomIds.next();
    await runJob(jobId, true);
    const notifier = new ProjectionNotifier();
    const telling = new ReadModelProjector(database.db, log, pino({ level: 'silent' }), notifier);
    const queries = new ReadModelQueries(database.db, notifier);
    const woken = notifier.nextProjection(jobId, 5_000, new Set(['ConversionCompleted']));
    await telling.apply(await log.readStream('events', 0, 100));
    const projection = (await woken.settled)!;
    expect(projection.jobRow?.status).toBe('completed');
    expect(queries.toldConversionJob(projection, 'org1')).toEqual({ value: await queries.conversionJob('org1', jobId) });
    expect(queries.toldConversionJob(projection, 'org2')).toBeUndefined();
  });
});
