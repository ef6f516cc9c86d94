import type { ConversionJobView, FileView, JobStatus } from '@conveyor/contracts';
import type { Selectable } from 'kysely';
import type { ConversionJobsTable, FilesTable } from '../database/read-model-tables.js';

export interface StoredFile {
  view: FileView;
  blobKey: string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toFileView(row: Selectable<FilesTable>): FileView {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    format: row.format,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    status: row.status as FileView['status'],
    created_at: iso(row.created_at)!,
  };
}

export function toConversionJobView(row: Selectable<ConversionJobsTable>): ConversionJobView & { steps: unknown[] } {
  return {
    id: row.id,
    org_id: row.org_id,
    file_id: row.file_id,
    status: row.status as JobStatus,
    progress_pct: row.progress_pct,
    target_format: row.target_format,
    options: row.options,
    attempt_count: row.attempt_count,
    error_code: row.error_code,
    error_message: row.error_message,
    queued_at: iso(row.queued_at)!,
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    duration_ms: row.duration_ms,
    output_file_id: row.output_file_id,
    steps: row.steps,
  };
}
