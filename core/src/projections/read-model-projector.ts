import type { EventEnvelope } from '@conveyor/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../database/schema.js';
import type { EventLog, MessageFeed, StoredMessage } from '../event-log/port.js';
import type { ConversionJobRow } from './conversion-job-row.js';
import { emptyRows, ProjectedRows, type KnownRows, type ReadModelRows } from './projected-rows.js';
import type { ProjectedAggregate, ProjectionNotifier } from './projection-notifier.js';
import { changesOf, touchedIds, type ReadModelChanges } from './read-model-changes.js';
import { writeReadModels } from './read-model-writes.js';
import { fromFileRecord, fromJobRecord, fromResourceRecord } from './row-records.js';

const projectionName = 'read-models';
/** A batch of at least this many events is taken as a sign of load... */
const busyBatchSize = 8;
/**
 * ...after which the projector waits this long before it reads the next batch. A batch costs
 * a round trip or more whatever its size, so fewer, larger batches are cheaper. With this at 50 ms rather than 20 and the SQL
 * consumers' pause at 40 ms, the embedded throughput bench ran about 10 % more jobs a second
 * (5 of 6 alternating runs), at the price of up to 50 ms more status lag, and only while busy.
 */
const busyPauseMs = 50;

/** What applying a batch did: how many events were new, and the conversion jobs' rows as written. */
interface BatchOutcome {
  applied: number;
  jobRows: ReadonlyMap<string, ConversionJobRow | undefined>;
}

/**
 * Applies the events stream to the read models (files, conversion_jobs, resources,
 * audit_events, org_usage). Each batch is written atomically with the checkpoint's move, and
 * only from the checkpoint it was evolved from, so that several projector instances (several
 * api processes) never apply an event twice and a crash never loses one.
 */
export class ReadModelProjector {
  private feed: MessageFeed | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private checkpointRowExists = false;
  /** The rows as this projector last left them: most batches need not read any. */
  private readonly known = new ProjectedRows();
  private leaveNotifier: (() => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: EventLog,
    private readonly logger: Logger,
    private readonly notifier?: ProjectionNotifier,
  ) {}

  start(): void {
    this.stopped = false;
    this.leaveNotifier = this.notifier?.projectorStarted();
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.leaveNotifier?.();
    await this.feed?.close();
    await this.running;
  }

  /** Applies everything in the log up to its current end; used by replay. Returns the events applied. */
  async catchUp(batchSize = 500): Promise<number> {
    let applied = 0;
    for (;;) {
      const after = await this.checkpoint(this.db);
      const batch = await this.log.readStream('events', after, batchSize);
      if (batch.length === 0) return applied;
      applied += await this.apply(batch);
    }
  }

  /** Forgets every read-model row and the checkpoint, so that a catch-up rebuilds them from the log. */
  async reset(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('conversion_jobs').execute();
      await trx.deleteFrom('files').execute();
      await trx.deleteFrom('resources').execute();
      await trx.deleteFrom('audit_events').execute();
      await trx.deleteFrom('org_usage').execute();
      await trx.deleteFrom('projection_checkpoints').where('projection', '=', projectionName).execute();
    });
    this.checkpointRowExists = false;
    this.known.forget();
  }

  private async run(): Promise<void> {
    for (let pause = 100; !this.stopped; pause = Math.min(pause * 2, 5_000)) {
      try {
        const afterSequence = await this.checkpoint(this.db);
        // Stopped while the checkpoint was read: stop() found no feed to close, so none is opened.
        if (this.stopped) return;
        this.feed = this.log.follow('events', { afterSequence, maxBatch: 500 });
        for await (const batch of this.feed) {
          await this.apply(batch);
          pause = 100;
          if (this.stopped) break;
          // A batch this large means events arrive faster than they are applied: let the next
          // one grow for a moment, trading a little lag under load for fewer, larger writes.
          if (batch.length >= busyBatchSize) await new Promise((resolve) => setTimeout(resolve, busyPauseMs));
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.error({ err: error }, 'projector failed; resuming from its checkpoint');
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Applies one ordered batch; returns how many events were new. */
  async apply(batch: StoredMessage[]): Promise<number> {
    const outcome = (await this.applyOnKnownRows(batch)) ?? (await this.applyLocked(batch));
    // Once written, every event of the batch is in the rows, whichever projector wrote it:
    // readers here are told of them all, even those another process's projector applied.
    const eventTypes = new Map<string, Set<string>>();
    for (const message of batch) {
      const envelope = message.payload as EventEnvelope;
      const types = eventTypes.get(envelope.aggregate_id) ?? eventTypes.set(envelope.aggregate_id, new Set()).get(envelope.aggregate_id)!;
      types.add(envelope.type);
    }
    const projected = new Map<string, ProjectedAggregate>();
    for (const [id, types] of eventTypes) {
      const jobRow = outcome.jobRows.get(id);
      projected.set(id, jobRow ? { eventTypes: types, jobRow } : { eventTypes: types });
    }
    this.notifier?.projected(projected);
    return outcome.applied;
  }

  /**
   * The usual case, one projector following the log: the batch is evolved from the rows this
   * projector last wrote (reading only those it does not hold) and written in one statement,
   * which is refused if another projector has moved the checkpoint since. Undefined then, or
   * when this projector knows no checkpoint yet.
   */
  private async applyOnKnownRows(batch: StoredMessage[]): Promise<BatchOutcome | undefined> {
    const checkpoint = this.known.checkpoint;
    if (checkpoint === undefined) return undefined;
    const fresh = batch.filter((message) => message.sequence > checkpoint);
    if (fresh.length === 0) return { applied: 0, jobRows: new Map() };
    const before = await this.rowsBefore(this.db, fresh, this.known.rows);
    const changes = changesOf(fresh, before);
    const to = fresh.at(-1)!.sequence;
    if (!(await writeReadModels(this.db, { projection: projectionName, from: checkpoint, to, at: new Date() }, changes))) {
      this.known.forget();
      return undefined;
    }
    this.known.advance(to, afterRows(changes));
    return { applied: fresh.length, jobRows: changes.jobs.after };
  }

  /**
   * Applies the batch under the checkpoint row's lock, from rows read in the same transaction:
   * how a projector starts, and how it goes on after another one (another api process) wrote.
   */
  private async applyLocked(batch: StoredMessage[]): Promise<BatchOutcome> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      if (!this.checkpointRowExists) {
        await trx
          .insertInto('projection_checkpoints')
          .values({ projection: projectionName, sequence: 0 })
          .onConflict((oc) => oc.column('projection').doNothing())
          .execute();
      }
      const locked = await trx.selectFrom('projection_checkpoints').select('sequence').where('projection', '=', projectionName).forUpdate().executeTakeFirstOrThrow();
      const checkpoint = Number(locked.sequence);
      const fresh = batch.filter((message) => message.sequence > checkpoint);
      if (fresh.length === 0) return { applied: 0, jobRows: new Map(), checkpoint, rows: emptyRows() };
      const changes = changesOf(fresh, await this.rowsBefore(trx, fresh, emptyRows()));
      const to = fresh.at(-1)!.sequence;
      if (!(await writeReadModels(trx, { projection: projectionName, from: checkpoint, to, at: new Date() }, changes))) {
        throw new Error(`the ${projectionName} checkpoint moved while it was locked`);
      }
      return { applied: fresh.length, jobRows: changes.jobs.after, checkpoint: to, rows: afterRows(changes) };
    });
    this.checkpointRowExists = true;
    this.known.forget();
    this.known.advance(outcome.checkpoint, outcome.rows);
    return outcome;
  }

  /** Every row the events touch as `db` holds it (undefined where none exists), from `known` where it has them. */
  private async rowsBefore(db: Kysely<Database>, fresh: StoredMessage[], known: Readonly<ReadModelRows>): Promise<ReadModelRows> {
    const ids = touchedIds(fresh.map((message) => message.payload as EventEnvelope));
    const before = emptyRows();
    const missing = { jobs: [] as string[], files: [] as string[], resources: [] as string[] };
    for (const table of ['jobs', 'files', 'resources'] as const) {
      for (const id of ids[table]) {
        if (known[table].has(id)) (before[table] as KnownRows<unknown>).set(id, known[table].get(id));
        else missing[table].push(id);
      }
    }
    const [jobs, files, resources] = await Promise.all([
      missing.jobs.length === 0 ? [] : db.selectFrom('conversion_jobs').selectAll().where('id', 'in', missing.jobs).execute(),
      missing.files.length === 0 ? [] : db.selectFrom('files').selectAll().where('id', 'in', missing.files).execute(),
      missing.resources.length === 0 ? [] : db.selectFrom('resources').selectAll().where('id', 'in', missing.resources).execute(),
    ]);
    for (const id of missing.jobs) before.jobs.set(id, undefined);
    for (const id of missing.files) before.files.set(id, undefined);
    for (const id of missing.resources) before.resources.set(id, undefined);
    for (const record of jobs) before.jobs.set(record.id, fromJobRecord(record));
    for (const record of files) before.files.set(record.id, fromFileRecord(record));
    for (const record of resources) before.resources.set(record.id, fromResourceRecord(record));
    return before;
  }

  private async checkpoint(db: Kysely<Database>): Promise<number> {
    const row = await db.selectFrom('projection_checkpoints').select('sequence').where('projection', '=', projectionName).executeTakeFirst();
    return Number(row?.sequence ?? 0);
  }
}

/** The rows a batch left behind, absent ones included. */
function afterRows(changes: ReadModelChanges) {
  return { jobs: changes.jobs.after, files: changes.files.after, resources: changes.resources.after };
}
