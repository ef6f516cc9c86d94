import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import type { ConversionJobsTable, FilesTable, ResourcesTable } from '../database/read-model-tables.js';
import type { ReadModelChanges } from './read-model-changes.js';

/** Every column, listed once and checked against the table's type, so a new column cannot be forgotten here. */
const columnsOf = <Table>(columns: Record<keyof Table, true>) => Object.keys(columns) as Array<keyof Table & string>;

const jobColumns = columnsOf<ConversionJobsTable>({
  id: true, org_id: true, file_id: true, status: true, progress_pct: true, source_format: true, target_format: true, options: true, steps: true,
  attempt_count: true, error_code: true, error_message: true, queued_at: true, started_at: true, completed_at: true, duration_ms: true,
  output_file_id: true, deleted: true,
});
const fileColumns = columnsOf<FilesTable>({
  id: true, org_id: true, name: true, format: true, mime: true, size: true, sha256: true, blob_key: true, status: true, visibility: true,
  source_job_id: true, created_at: true, version: true, scan_status: true, scan_reason: true, metadata: true, metadata_version: true,
  metadata_write: true, expires_at: true, share_token_id: true, share_expires_at: true,
});
const resourceColumns = columnsOf<ResourcesTable>({ id: true, org_id: true, resource: true, data: true, created_at: true, updated_at: true });

export interface CheckpointMove {
  projection: string;
  /** Where the checkpoint must stand for the batch to be written: the state its rows were evolved from. */
  from: number;
  to: number;
  at: Date;
}

/**
 * Writes a batch's changes and moves the checkpoint in ONE statement, a round trip whatever
 * the batch holds, and atomic without a transaction around it. Every write is conditional on
 * the checkpoint move, which happens only if the checkpoint still stands at `move.from`: when
 * another projector got there first, nothing is written and the answer is false.
 */
export async function writeReadModels(db: Kysely<Database>, move: CheckpointMove, changes: ReadModelChanges): Promise<boolean> {
  const present = <Row>(rows: ReadonlyMap<string, Row | undefined>) => [...rows.values()].filter((row): row is Row => row !== undefined);
  const goneResources = [...changes.resources.after].filter(([, row]) => row === undefined).map(([id]) => id);
  const writes: RawBuilder<unknown>[] = [
    upsert('jobs', 'conversion_jobs', jobColumns, present(changes.jobs.after)),
    upsert('files', 'files', fileColumns, present(changes.files.after)),
    upsert('resources', 'resources', resourceColumns, present(changes.resources.after)),
    goneResources.length === 0
      ? undefined
      : sql`resources_gone as (delete from resources where id in (select jsonb_array_elements_text(${JSON.stringify(goneResources)}::jsonb)) and exists (select from moved))`,
    // Running totals, moved by each batch: the storage quota and the concurrent-job limit are
    // checked on every upload and conversion, and counting an org's rows there would grow with it.
    changes.usage.length === 0
      ? undefined
      : sql`usage as (
          insert into org_usage (org_id, storage_bytes, file_count, active_jobs)
          select org_id, storage_bytes, file_count, active_jobs from jsonb_populate_recordset(null::org_usage, ${JSON.stringify(changes.usage)}::jsonb)
          where exists (select from moved)
          on conflict (org_id) do update set
            storage_bytes = org_usage.storage_bytes + excluded.storage_bytes,
            file_count = org_usage.file_count + excluded.file_count,
            active_jobs = org_usage.active_jobs + excluded.active_jobs)`,
    changes.audit.length === 0
      ? undefined
      : sql`audit as (
          insert into audit_events (sequence, id, org_id, type, aggregate, aggregate_id, occurred_at, data)
          select sequence, id, org_id, type, aggregate, aggregate_id, occurred_at, data from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(changes.audit)}::jsonb)
          where exists (select from moved)
          on conflict (sequence) do nothing)`,
  ].filter((write): write is RawBuilder<unknown> => write !== undefined);
  const moved = sql`moved as (
    update projection_checkpoints set sequence = ${move.to}::bigint, updated_at = ${move.at}
    where projection = ${move.projection} and sequence = ${move.from}::bigint
    returning sequence)`;
  const { rows } = await sql<{ moved: number }>`with ${sql.join([moved, ...writes])} select count(*)::int as moved from moved`.execute(db);
  return Number(rows[0]?.moved ?? 0) === 1;
}

/** Inserts the rows, or overwrites every column of those that exist: the rows were evolved from what the table held. */
function upsert<Row>(name: string, table: string, columns: readonly string[], rows: Row[]): RawBuilder<unknown> | undefined {
  if (rows.length === 0) return undefined;
  const list = sql.join(columns.map((column) => sql.ref(column)));
  const updates = sql.join(columns.filter((column) => column !== 'id').map((column) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`));
  return sql`${sql.id(name)} as (
    insert into ${sql.table(table)} (${list})
    select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)
    where exists (select from moved)
    on conflict (id) do update set ${updates})`;
}
