import type { EventEnvelope, FileEvent, MetadataReport } from '@conveyor/contracts';
import type { MetadataWriteRow } from '../database/read-model-tables.js';

/** A files row as the projection computes it. */
export interface FileRow {
  id: string;
  org_id: string;
  name: string;
  format: string;
  mime: string;
  size: number;
  sha256: string;
  blob_key: string;
  status: string;
  visibility: string;
  source_job_id: string | null;
  created_at: string;
  version: number;
  scan_status: string;
  scan_reason: string | null;
  metadata: MetadataReport | null;
  metadata_version: number;
  metadata_write: MetadataWriteRow | null;
  expires_at: string | null;
  /** The id share links are verified against; null when no link works (private, org or never shared). */
  share_token_id: string | null;
  /** When a restricted share's links stop working. */
  share_expires_at: string | null;
}

/**
 * The status of a file whose bytes have not arrived: the read side shows it to the upload
 * routes only, so that nothing downloads, converts or counts it before it is complete.
 */
export const pendingUploadStatus = 'pending';

/** Files that are not (or not yet) there for reading, converting or counting. */
export const absentFileStatuses: readonly string[] = ['deleted', pendingUploadStatus];

type UploadInitiated = Extract<FileEvent, { type: 'FileUploadInitiated' }>['data'];

/** The row of an announced upload: its name and expiry are known; its content (format, size, hash) is not yet. */
function pendingUploadRow(envelope: EventEnvelope, initiated: UploadInitiated): FileRow {
  return {
    id: envelope.aggregate_id,
    org_id: envelope.org_id,
    name: initiated.name,
    format: '',
    mime: initiated.content_type ?? '',
    size: 0,
    sha256: '',
    blob_key: '',
    status: pendingUploadStatus,
    visibility: 'private',
    source_job_id: null,
    created_at: initiated.initiated_at,
    version: 1,
    scan_status: 'pending',
    scan_reason: null,
    metadata: null,
    metadata_version: 0,
    metadata_write: null,
    expires_at: initiated.expires_at ?? null,
    share_token_id: null,
    share_expires_at: null,
  };
}

function withWrite(row: FileRow, requestId: string, change: Partial<MetadataWriteRow>): FileRow {
  const write = row.metadata_write;
  if (!write || write.request_id !== requestId) return row;
  return { ...row, metadata_write: { ...write, ...change } };
}

/** Applies one file event to its row; pure and idempotent. */
export function evolveFileRow(row: FileRow | undefined, envelope: EventEnvelope): FileRow | undefined {
  const event = { type: envelope.type, data: envelope.data } as FileEvent;
  if (event.type === 'FileUploadInitiated') return row ?? pendingUploadRow(envelope, event.data);
  if (event.type === 'FileUploaded') {
    // A finished file's row stays as it is (a replay); a pending upload's row is completed by its bytes.
    if (row && row.status !== pendingUploadStatus) return row;
    const pending = row;
    return {
      id: envelope.aggregate_id,
      org_id: envelope.org_id,
      name: event.data.name,
      format: event.data.format,
      mime: event.data.mime,
      size: event.data.size,
      sha256: event.data.sha256,
      blob_key: event.data.blob_key,
      status: 'ready',
      visibility: event.data.visibility,
      source_job_id: event.data.source.kind === 'conversion' ? event.data.source.job_id : null,
      created_at: pending?.created_at ?? event.data.uploaded_at,
      version: 1,
      scan_status: event.data.source.kind === 'upload' ? 'pending' : 'not_required',
      scan_reason: null,
      metadata: null,
      metadata_version: 0,
      metadata_write: null,
      expires_at: event.data.expires_at ?? pending?.expires_at ?? null,
      share_token_id: null,
      share_expires_at: null,
    };
  }
  if (!row) return row;
  switch (event.type) {
    case 'FileScanAwaited':
    case 'FileMetadataProbeRequested':
      return row;
    case 'FileScanned': {
      const quarantined = event.data.verdict !== 'clean';
      return { ...row, scan_status: event.data.verdict, scan_reason: event.data.reason || null, status: quarantined ? 'quarantined' : row.status };
    }
    case 'FileMetadataProbed':
      return event.data.version < row.metadata_version ? row : { ...row, metadata: event.data.report, metadata_version: event.data.version };
    case 'FileMetadataWriteRequested':
      return {
        ...row,
        metadata_write: {
          request_id: event.data.request_id,
          status: 'queued',
          as_copy: event.data.copy_file_id !== undefined,
          file_id: event.data.copy_file_id ?? row.id,
          error_code: null,
          error_message: null,
          requested_at: event.data.requested_at,
          completed_at: null,
        },
      };
    case 'FileMetadataWritten': {
      const written = withWrite(row, event.data.request_id, { status: 'completed', completed_at: event.data.written_at });
      if (event.data.copy_file_id !== undefined || event.data.version <= row.version) return written;
      const { blob_key, size, sha256 } = event.data.blob;
      return { ...written, blob_key, size, sha256, version: event.data.version };
    }
    case 'FileUpdated':
      // A visibility set without the share route makes no link, and must not revive an old one.
      return event.data.changes.visibility === undefined ? { ...row, ...event.data.changes } : { ...row, ...event.data.changes, share_token_id: null, share_expires_at: null };
    case 'FileShared':
      return { ...row, visibility: event.data.visibility, share_token_id: event.data.share_token_id, share_expires_at: event.data.expires_at };
    case 'FileDeleted':
    case 'FileExpired':
    case 'FileUploadAborted':
      return { ...row, status: 'deleted' };
    case 'FileMetadataWriteFailed':
      return withWrite(row, event.data.request_id, {
        status: 'failed',
        error_code: event.data.error_code,
        error_message: event.data.error_message,
        completed_at: event.data.failed_at,
      });
  }
}
