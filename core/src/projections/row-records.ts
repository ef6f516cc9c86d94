import type { Selectable } from 'kysely';
import type { ConversionJobsTable, FilesTable, ResourcesTable } from '../database/read-model-tables.js';
import type { ResourceRow } from './resource-row.js';
import type { ConversionJobRow } from './conversion-job-row.js';
import type { FileRow } from './file-row.js';

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Database record → the row the projection evolves. */
export function fromJobRecord(record: Selectable<ConversionJobsTable>): ConversionJobRow {
  return {
    ...record,
    status: record.status as ConversionJobRow['status'],
    queued_at: iso(record.queued_at)!,
    started_at: iso(record.started_at),
    completed_at: iso(record.completed_at),
  };
}

export function fromFileRecord(record: Selectable<FilesTable>): FileRow {
  return { ...record, size: Number(record.size), created_at: iso(record.created_at)!, expires_at: iso(record.expires_at), share_expires_at: iso(record.share_expires_at) };
}

export function fromResourceRecord(record: Selectable<ResourcesTable>): ResourceRow {
  return { ...record, created_at: iso(record.created_at)!, updated_at: iso(record.updated_at)! };
}
