import type { MetadataReport } from '@conveyor/contracts';
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface FilesTable {
  id: string;
  org_id: string;
  name: string;
  format: string;
  mime: string;
  size: ColumnType<number, number, number>;
  sha256: string;
  blob_key: string;
  status: string;
  visibility: string;
  source_job_id: string | null;
  created_at: Timestamp;
  version: number;
  scan_status: string;
  scan_reason: string | null;
  metadata: NullableJson<MetadataReport>;
  metadata_version: number;
  metadata_write: NullableJson<MetadataWriteRow>;
  /** Files of anonymous sessions expire; the sweeper removes them then. */
  expires_at: Timestamp | null;
  /** What share links are verified against (see the FileShared event); null when none works. */
  share_token_id: string | null;
  share_expires_at: Timestamp | null;
}

/** A record of a generic auto-CRUD resource (settings, feature flags, users, API keys). */
export interface ResourcesTable {
  id: string;
  org_id: string;
  resource: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every event that belongs to an org, newest by sequence: the audit log's read model. */
export interface AuditEventsTable {
  sequence: ColumnType<number, number, number>;
  id: string;
  org_id: string;
  type: string;
  aggregate: string;
  aggregate_id: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

/** The last metadata rewrite asked of a file, as `GET …/metadata` reports it. */
export interface MetadataWriteRow {
  request_id: string;
  status: 'queued' | 'completed' | 'failed';
  as_copy: boolean;
  /** The copy's id for `as_copy`, else the file's own. */
  file_id: string;
  error_code: string | null;
  error_message: string | null;
  requested_at: string;
  completed_at: string | null;
}

export interface ConversionJobsTable {
  id: string;
  org_id: string;
  file_id: string;
  status: string;
  progress_pct: number;
  source_format: string;
  target_format: string;
  options: Json<Record<string, unknown>>;
  steps: Json<JobStepRow[]>;
  attempt_count: number;
  error_code: string | null;
  error_message: string | null;
  queued_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  duration_ms: number | null;
  output_file_id: string | null;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface JobStepRow {
  index: number;
  from: string;
  to: string;
  plugin: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  progress_pct: number;
  started_at: string | null;
  completed_at: string | null;
}

export interface ProjectionCheckpointsTable {
  projection: string;
  sequence: ColumnType<number, number, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An org's running totals: what it stores (files neither deleted nor pending), and its conversions still running. */
export interface OrgUsageTable {
  org_id: string;
  storage_bytes: ColumnType<number, number | undefined, number>;
  file_count: ColumnType<number, number | undefined, number>;
  /** Conversions queued, scanning or processing (activeJobStatuses). */
  active_jobs: ColumnType<number, number | undefined, number>;
}

export interface ReadModelTables {
  files: FilesTable;
  conversion_jobs: ConversionJobsTable;
  resources: ResourcesTable;
  audit_events: AuditEventsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  org_usage: OrgUsageTable;
}
