import { type KyselyPlugin } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileAggregate, resourceAggregate } from '../../src/aggregates/aggregate-types.js';
import { CommandHandler } from '../../src/aggregates/command-handler.js';
import { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import { ReadModelProjector } from '../../src/projections/read-model-projector.js';
import { randomIds } from '../../src/system/ids.js';
import { commandMeta, registerUpload, runConversion } from '../support/conversion-history.js';
import { migratedPglite, migratedPostgresSchema, type TestDatabase } from '../support/test-databases.js';

/** How the projector writes, on both engines: the rows must come out the same whichever way a batch was applied. */
function projectorWrites(name: string, open: () => Promise<TestDatabase>) {
  describe(`read-model projector writes on ${name}`, () => {
    let engine: TestDatabase;
    let log: SqlEventLog;
    let commands: CommandHandler;
    let tick = Date.parse('2026-11-25T10:00:00.000Z');
    const clock = { now: () => new Date((tick += 250)) };
    const projector = (db = engine.database.db) => new ReadModelProjector(db, log, pino({ level: 'silent' }));

    beforeEach(async () => {
      engine = await open();
      log = new SqlEventLog(engine.database.db);
      await log.initialize();
      commands = new CommandHandler(log, clock);
    });

    afterEach(async () => {
      await log.close();
      await engine.cleanup();
    });

    /** A converted upload, a deleted one, a job that failed, and a resource created, changed and another deleted. */
    async function writeHistory(): Promise<void> {
      const fileId = randomIds.next();
      await registerUpload(commands, clock, fileId);
      await commands.handle(fileAggregate, commandMeta(fileId), { type: 'RecordScanVerdict', data: { verdict: 'clean', engine: 'builtin', reason: '' } });
      for (const succeed of [true, false]) {
        await runConversion(commands, clock, { jobId: randomIds.next(), fileId, succeed, options: { quality: 70, nested: { keep: ['all'] } }, errorMessage: 'cut "short" \\ here' });
      }
      const deletedId = randomIds.next();
      await registerUpload(commands, clock, deletedId);
      await commands.handle(fileAggregate, commandMeta(deletedId), { type: 'DeleteFile', data: { actor: 'user1' } });
      const [kept, dropped] = [randomIds.next(), randomIds.next()];
      for (const id of [kept, dropped]) await commands.handle(resourceAggregate, commandMeta(id), { type: 'CreateResource', data: { resource: 'settings', data: { theme: 'dark', limits: [1, 2] }, actor: 'user1' } });
      await commands.handle(resourceAggregate, commandMeta(kept), { type: 'UpdateResource', data: { resource: 'settings', changes: { theme: 'light' }, actor: 'user1' } });
      await commands.handle(resourceAggregate, commandMeta(dropped), { type: 'DeleteResource', data: { resource: 'settings', actor: 'user1' } });
    }

    const snapshot = async () => {
      const db = engine.database.db;
      return {
        files: await db.selectFrom('files').selectAll().orderBy('id').execute(),
        jobs: await db.selectFrom('conversion_jobs').selectAll().orderBy('id').execute(),
        resources: await db.selectFrom('resources').selectAll().orderBy('id').execute(),
        audit: await db.selectFrom('audit_events').selectAll().orderBy('sequence').execute(),
        usage: await db.selectFrom('org_usage').selectAll().orderBy('org_id').execute(),
        checkpoint: await db.selectFrom('projection_checkpoints').select('sequence').execute(),
      };
    };

    it('writes the same rows event by event as in one batch', async () => {
      await writeHistory();
      const events = await log.readStream('events', 0, 1000);
      const oneByOne = projector();
      for (const event of events) expect(await oneByOne.apply([event])).toBe(1);
      const applied = await snapshot();
      expect(applied.jobs.map((job) => job.status).sort()).toEqual(['completed', 'failed']);
      expect(applied.resources.map((resource) => resource.data)).toEqual([{ theme: 'light', limits: [1, 2] }]);
      expect(applied.usage).toEqual([{ org_id: 'org1', storage_bytes: 2 * 1234, file_count: 2, active_jobs: 0 }]);
      expect(applied.audit).toHaveLength(events.length);

      await oneByOne.reset();
      expect(await projector().apply(events)).toBe(events.length);
      expect(await snapshot()).toEqual(applied);
    });

    it('writes a batch on rows it wrote itself in one statement, reading none', async () => {
      await writeHistory();
      const events = await log.readStream('events', 0, 1000);
      let statements = 0;
      const counting: KyselyPlugin = {
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const following = projector(engine.database.db.withPlugin(counting));
      // The first two events upload a file and scan it; the third requests a job of it, which is then planned and started.
      expect(events.slice(0, 5).map((event) => (event.payload as { type: string }).type)).toEqual([
        'FileUploaded',
        'FileScanned',
        'ConversionRequested',
        'ConversionPlanned',
        'ConversionStepStarted',
      ]);
      await following.apply(events.slice(0, 2));
      statements = 0;
      await following.apply(events.slice(1, 2));
      expect(statements).toBe(0); // applied already, and known to be
      await following.apply(events.slice(2, 3));
      expect(statements).toBe(2); // the new job's row is read (there is none), then one write
      statements = 0;
      await following.apply(events.slice(3, 5));
      expect(statements).toBe(1);
    });

    it('applies batches correctly when another projector writes between them', async () => {
      await writeHistory();
      const events = await log.readStream('events', 0, 1000);
      const alone = projector();
      await alone.apply(events);
      const expected = await snapshot();
      await alone.reset();

      const [first, second] = [projector(), projector()];
      // Each is handed every batch, as two api processes following the log are; they take turns being first.
      for (let start = 0, turn = 0; start < events.length; start += 3, turn++) {
        const batch = events.slice(start, start + 3);
        const [leader, follower] = turn % 2 === 0 ? [first, second] : [second, first];
        expect(await leader.apply(batch)).toBe(batch.length);
        expect(await follower.apply(batch)).toBe(0);
      }
      expect(await snapshot()).toEqual(expected);
    });
  });
}

projectorWrites('PGlite', migratedPglite);
projectorWrites('PostgreSQL', () => migratedPostgresSchema('projector_writes_test'));
