import type { EventEnvelope } from '@conveyor/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../database/schema.js';
import type { EventLog, MessageFeed, StoredMessage } from '../event-log/port.js';
import { evolveConversionJobRow, type ConversionJobRow } from './conversion-job-row.js';
import { evolveFileRow, type FileRow } from './file-row.js';
import { applyUsageDeltas, usageDeltas, type RowChanges } from './org-usage.js';
import type { ProjectedAggregate, ProjectionNotifier } from './projection-notifier.js';
import { fromFileRecord, fromJobRecord, fromResourceRecord, toFileRecord, toJobRecord } from './row-records.js';
import { evolveResourceRow, type ResourceRow } from './resource-row.js';

const projectionName = 'read-models';
/** A batch of at least this many events is taken as a sign of load... */
const busyBatchSize = 8;
/**
 * ...after which the projector waits this long before it reads the next batch. A batch's
 * transaction costs about as much again in fixed statements (checkpoint, usage, reads) as in
 * rows, so fewer, larger batches are cheaper. With this at 50 ms rather than 20 and the SQL
 * consumers' pause at 40 ms, the embedded throughput bench ran about 10 % more jobs a second
 * (5 of 6 alternating runs), at the price of up to 50 ms more status lag, and only while busy.
 */
const busyPauseMs = 50;

/**
 * Applies the events stream to the read models (files, conversion_jobs, resources,
 * audit_events, org_usage). Each batch is one transaction that also moves the checkpoint,
 * under a row lock, so that several projector instances (several api processes) never apply
 * an event twice and a crash never loses one.
 */
export class ReadModelProjector {
  private feed: MessageFeed | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private checkpointRowExists = false;
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
          // one grow for a moment, trading a little lag under load for fewer transactions.
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
    const eventTypes = new Map<string, Set<string>>();
    let jobRows: ReadonlyMap<string, ConversionJobRow | undefined> = new Map();
    const applied = await this.db.transaction().execute(async (trx) => {
      if (!this.checkpointRowExists) {
        await trx
          .insertInto('projection_checkpoints')
          .values({ projection: projectionName, sequence: 0 })
          .onConflict((oc) => oc.column('projection').doNothing())
          .execute();
      }
      const checkpoint = await this.moveCheckpoint(trx, batch.at(-1)!.sequence);
      // Once this commits, every event of the batch is in the rows, whichever projector wrote
      // it: readers here are told of them all, even those another process's projector applied.
      for (const message of batch) {
        const envelope = message.payload as EventEnvelope;
        const types = eventTypes.get(envelope.aggregate_id) ?? eventTypes.set(envelope.aggregate_id, new Set()).get(envelope.aggregate_id)!;
        types.add(envelope.type);
      }
      const fresh = batch.filter((message) => message.sequence > checkpoint);
      if (fresh.length === 0) return 0;
      const envelopes = fresh.map((message) => message.payload as EventEnvelope);
      const jobs = await this.projectConversionJobs(trx, envelopes.filter((e) => e.aggregate === 'conversion'));
      const files = await this.projectFiles(trx, envelopes.filter((e) => e.aggregate === 'file'));
      await applyUsageDeltas(trx, usageDeltas(files, jobs));
      jobRows = jobs.after;
      await this.projectResources(trx, envelopes.filter((e) => e.aggregate === 'resource'));
      await this.projectAudit(trx, fresh);
      return fresh.length;
    });
    this.checkpointRowExists = true;
    const projected = new Map<string, ProjectedAggregate>();
    for (const [id, types] of eventTypes) {
      const jobRow = jobRows.get(id);
      projected.set(id, jobRow ? { eventTypes: types, jobRow } : { eventTypes: types });
    }
    this.notifier?.projected(projected);
    return applied;
  }

  /**
   * Locks the checkpoint row, moves it up to `through` (never back), and answers where it
   * stood: one statement for what took a locking read and an update. The transaction applies
   * what lies between; should it fail, the move rolls back with it.
   */
  private async moveCheckpoint(trx: Transaction<Database>, through: number): Promise<number> {
    const { rows } = await sql<{ previous: number | string }>`
      update projection_checkpoints as checkpoint
      set sequence = greatest(previous.sequence, ${through}::bigint), updated_at = ${new Date()}
      from (select sequence from projection_checkpoints where projection = ${projectionName} for update) as previous
      where checkpoint.projection = ${projectionName}
      returning previous.sequence as previous
    `.execute(trx);
    const row = rows[0];
    if (!row) throw new Error(`the ${projectionName} checkpoint row is missing`);
    return Number(row.previous);
  }

  /** Writes the jobs' rows; answers them, by job id, as they were and as written. */
  private async projectConversionJobs(trx: Transaction<Database>, envelopes: EventEnvelope[]): Promise<RowChanges<ConversionJobRow>> {
    if (envelopes.length === 0) return { before: new Map(), after: new Map() };
    const ids = [...new Set(envelopes.map((e) => e.aggregate_id))];
    const existing = await trx.selectFrom('conversion_jobs').selectAll().where('id', 'in', ids).execute();
    const before = new Map<string, ConversionJobRow | undefined>(existing.map((row) => [row.id, fromJobRecord(row)]));
    const rows = new Map(before);
    for (const envelope of envelopes) rows.set(envelope.aggregate_id, evolveConversionJobRow(rows.get(envelope.aggregate_id), envelope));
    const changed = [...rows.values()].filter((row): row is ConversionJobRow => row !== undefined).map(toJobRecord);
    if (changed.length === 0) return { before, after: rows };
    await trx
      .insertInto('conversion_jobs')
      .values(changed)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          progress_pct: eb.ref('excluded.progress_pct'),
          steps: eb.ref('excluded.steps'),
          attempt_count: eb.ref('excluded.attempt_count'),
          error_code: eb.ref('excluded.error_code'),
          error_message: eb.ref('excluded.error_message'),
          started_at: eb.ref('excluded.started_at'),
          completed_at: eb.ref('excluded.completed_at'),
          duration_ms: eb.ref('excluded.duration_ms'),
          output_file_id: eb.ref('excluded.output_file_id'),
          deleted: eb.ref('excluded.deleted'),
        })),
      )
      .execute();
    return { before, after: rows };
  }

  /** Writes the files' rows; answers them, by file id, as they were and as written. */
  private async projectFiles(trx: Transaction<Database>, envelopes: EventEnvelope[]): Promise<RowChanges<FileRow>> {
    if (envelopes.length === 0) return { before: new Map(), after: new Map() };
    const ids = [...new Set(envelopes.map((e) => e.aggregate_id))];
    const existing = await trx.selectFrom('files').selectAll().where('id', 'in', ids).execute();
    const before = new Map<string, FileRow | undefined>(existing.map((row) => [row.id, fromFileRecord(row)]));
    const rows = new Map(before);
    for (const envelope of envelopes) rows.set(envelope.aggregate_id, evolveFileRow(rows.get(envelope.aggregate_id), envelope));
    const changed = [...rows.values()].filter((row): row is FileRow => row !== undefined).map(toFileRecord);
    if (changed.length === 0) return { before, after: rows };
    await trx
      .insertInto('files')
      .values(changed)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          // A pending upload learns its content when its bytes arrive.
          format: eb.ref('excluded.format'),
          mime: eb.ref('excluded.mime'),
          expires_at: eb.ref('excluded.expires_at'),
          visibility: eb.ref('excluded.visibility'),
          name: eb.ref('excluded.name'),
          size: eb.ref('excluded.size'),
          sha256: eb.ref('excluded.sha256'),
          blob_key: eb.ref('excluded.blob_key'),
          version: eb.ref('excluded.version'),
          scan_status: eb.ref('excluded.scan_status'),
          scan_reason: eb.ref('excluded.scan_reason'),
          metadata: eb.ref('excluded.metadata'),
          metadata_version: eb.ref('excluded.metadata_version'),
          metadata_write: eb.ref('excluded.metadata_write'),
          share_token_id: eb.ref('excluded.share_token_id'),
          share_expires_at: eb.ref('excluded.share_expires_at'),
        })),
      )
      .execute();
    return { before, after: rows };
  }

  private async projectResources(trx: Transaction<Database>, envelopes: EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const ids = [...new Set(envelopes.map((e) => e.aggregate_id))];
    const existing = await trx.selectFrom('resources').selectAll().where('id', 'in', ids).execute();
    const rows = new Map<string, ResourceRow | undefined>(existing.map((row) => [row.id, fromResourceRecord(row)]));
    const touched = new Set<string>();
    for (const envelope of envelopes) {
      rows.set(envelope.aggregate_id, evolveResourceRow(rows.get(envelope.aggregate_id), envelope));
      touched.add(envelope.aggregate_id);
    }
    const gone = [...touched].filter((id) => rows.get(id) === undefined);
    if (gone.length > 0) await trx.deleteFrom('resources').where('id', 'in', gone).execute();
    const live = [...rows.values()].filter((row): row is ResourceRow => row !== undefined).map((row) => ({ ...row, data: JSON.stringify(row.data) }));
    if (live.length === 0) return;
    await trx
      .insertInto('resources')
      .values(live)
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }

  /** Every event of an org, by its sequence: what `GET /api/audit` reads. */
  private async projectAudit(trx: Transaction<Database>, messages: StoredMessage[]): Promise<void> {
    const entries = messages
      .map((message) => ({ message, envelope: message.payload as EventEnvelope }))
      .filter(({ envelope }) => envelope.aggregate !== 'system' && envelope.org_id !== '')
      .map(({ message, envelope }) => ({
        sequence: message.sequence,
        id: envelope.id,
        org_id: envelope.org_id,
        type: envelope.type,
        aggregate: envelope.aggregate,
        aggregate_id: envelope.aggregate_id,
        occurred_at: envelope.occurred_at,
        data: JSON.stringify(envelope.data),
      }));
    if (entries.length > 0) await trx.insertInto('audit_events').values(entries).onConflict((oc) => oc.column('sequence').doNothing()).execute();
  }

  private async checkpoint(db: Kysely<Database>): Promise<number> {
    const row = await db.selectFrom('projection_checkpoints').select('sequence').where('projection', '=', projectionName).executeTakeFirst();
    return Number(row?.sequence ?? 0);
  }
}
