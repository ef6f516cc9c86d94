import type { ConversionJobView, FileView, JobStatus, MetadataReport } from '@conveyor/contracts';
import type { Selectable } from 'kysely';
import type { ConversionJobsTable, FilesTable, MetadataWriteRow, ResourcesTable } from '../database/read-model-tables.js';
import type { ConversionJobRow } from '../projections/conversion-job-row.js';

export interface StoredFile {
  view: FileView;
  blobKey: string;
  version: number;
  scan: { status: string; reason: string | null };
  /** Undefined before the first probe; null when no metadata tool reads the format. */
  metadata: { report: MetadataReport | null; version: number } | undefined;
  metadataWrite: MetadataWriteRow | null;
  /** Who may fetch the file, and the share its links are verified against (see FileShared). */
  sharing: FileSharing;
}

export interface FileSharing {
  visibility: string;
  /** Null when no share link works: private, org, or never shared through the share route. */
  tokenId: string | null;
  /** When a restricted share's links stop working (ISO); null when they do not. */
  expiresAt: string | null;
}

export function toStoredFile(row: Selectable<FilesTable>): StoredFile {
  return {
    view: toFileView(row),
    blobKey: row.blob_key,
    version: row.version,
    scan: { status: row.scan_status, reason: row.scan_reason },
    metadata: row.metadata_version === 0 ? undefined : { report: row.metadata, version: row.metadata_version },
    metadataWrite: row.metadata_write,
    sharing: { visibility: row.visibility, tokenId: row.share_token_id, expiresAt: iso(row.share_expires_at) },
  };
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

/** A job as the API shows it, from its database record or from the row the projector just wrote. */
export function toConversionJobView(row: Selectable<ConversionJobsTable> | ConversionJobRow): ConversionJobView & { steps: unknown[] } {
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

/** A record of a generic resource as the API shows it: its fields, then id, org and times. */
export interface ResourceView {
  id: string;
  org_id: string;
  resource: string;
  data: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export function toResourceView(row: Selectable<ResourcesTable>): ResourceView {
  return { id: row.id, org_id: row.org_id, resource: row.resource, data: row.data, created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)! };
}

/** An org's running totals (org_usage). */
export interface OrgUsageView {
  storage_bytes: number;
  file_count: number;
  /** Conversions queued, scanning or processing: each holds one of the plan's concurrent-job slots. */
  active_jobs: number;
}

export interface AuditEntry {
  id: string;
  sequence: number;
  type: string;
  aggregate: string;
  aggregate_id: string;
  occurred_at: string;
  data: Record<string, unknown>;
}
