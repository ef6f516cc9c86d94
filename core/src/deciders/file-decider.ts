import type { FileCommand, FileEvent, MetadataEdit, StoredBlob } from '@conveyor/contracts';
import { CommandRejectedError, type Decider } from './decider.js';

/**
 * Where a file stands with the scanner. Files Conveyor made itself (conversion outputs,
 * metadata copies) come from scanned files and need no scan of their own.
 */
export type ScanStatus = 'pending' | 'clean' | 'infected' | 'rejected' | 'not_required';

export interface MetadataWriteRequest {
  status: 'requested' | 'written' | 'failed';
  edit: Omit<MetadataEdit, 'as_copy'>;
  copyFileId: string | undefined;
}

export interface ExistingFile {
  exists: true;
  blob: StoredBlob;
  name: string;
  /** 1 for the uploaded bytes; each in-place metadata rewrite adds one. */
  version: number;
  scan: ScanStatus;
  scanReason: string;
  /** Conversions waiting for the verdict, in the order they asked. */
  awaitingJobs: string[];
  /** The highest version whose metadata was probed; 0 before the first probe. */
  probedVersion: number;
  /** The highest version whose metadata someone asked for; it is probed only then, and once. */
  probeRequestedVersion: number;
  writes: Record<string, MetadataWriteRequest>;
  /** Deleted by its owner or expired: nothing more may happen to it. */
  deleted: boolean;
  /** When an anonymous session's file expires. */
  expiresAt: string | undefined;
}

/**
 * A file announced by `InitiateUpload` whose bytes have not arrived: `pending` until
 * `RegisterUpload` completes it, `aborted` once its client gave up on it (or it expired).
 */
export interface AnnouncedUpload {
  status: 'pending' | 'aborted';
}

export type FileState = { exists: false; upload?: AnnouncedUpload } | ExistingFile;

/** A file the scanner refused: nothing may be done with it any more. */
export function isQuarantined(state: FileState): boolean {
  return state.exists && (state.scan === 'infected' || state.scan === 'rejected');
}

/** A tool may parse the file's bytes: the scanner passed them, or the service made them from bytes it had passed. */
export function mayBeParsed(state: FileState): boolean {
  return state.exists && (state.scan === 'clean' || state.scan === 'not_required');
}

/** The scan no longer stands in a conversion's way (it may still forbid it: see isQuarantined). */
export function hasScanVerdict(state: FileState): boolean {
  return state.exists && state.scan !== 'pending';
}

function existing(state: FileState, command: FileCommand): ExistingFile {
  if (!state.exists) throw new CommandRejectedError('not_found', `${command.type}: no such file`);
  return state;
}

/**
 * A file: registered once, scanned once, probed per version when asked, and rewritten on request.
 * Repeats (redelivered commands) decide nothing, so every worker may retry freely.
 */
export const fileDecider: Decider<FileState, FileCommand, FileEvent> = {
  initialState: () => ({ exists: false }),

  evolve(state, event) {
    if (event.type === 'FileUploaded') {
      const { blob_key, size, sha256, format, mime, name, source, awaiting_job_id: awaitingJob } = event.data;
      const scan = source.kind === 'upload' ? 'pending' : 'not_required';
      return {
        exists: true,
        blob: { blob_key, size, sha256, format, mime },
        name,
        version: 1,
        scan,
        scanReason: '',
        awaitingJobs: scan === 'pending' && awaitingJob !== undefined ? [awaitingJob] : [],
        probedVersion: 0,
        probeRequestedVersion: 0,
        writes: {},
        deleted: false,
        expiresAt: event.data.expires_at,
      };
    }
    if (!state.exists) return evolveAnnouncedUpload(state, event);
    switch (event.type) {
      case 'FileScanAwaited':
        return { ...state, awaitingJobs: [...state.awaitingJobs, event.data.job_id] };
      case 'FileScanned':
        return { ...state, scan: event.data.verdict, scanReason: event.data.reason };
      case 'FileMetadataProbeRequested':
        return { ...state, probeRequestedVersion: Math.max(state.probeRequestedVersion, event.data.version) };
      case 'FileMetadataProbed':
        return { ...state, probedVersion: Math.max(state.probedVersion, event.data.version) };
      case 'FileMetadataWriteRequested': {
        const request: MetadataWriteRequest = { status: 'requested', edit: event.data.edit, copyFileId: event.data.copy_file_id };
        return { ...state, writes: { ...state.writes, [event.data.request_id]: request } };
      }
      case 'FileMetadataWritten': {
        const request = state.writes[event.data.request_id];
        const writes = request ? { ...state.writes, [event.data.request_id]: { ...request, status: 'written' as const } } : state.writes;
        // A copy's bytes belong to the copy; this file stays as it was.
        if (event.data.copy_file_id !== undefined) return { ...state, writes };
        return { ...state, writes, blob: event.data.blob, version: event.data.version };
      }
      case 'FileMetadataWriteFailed': {
        const request = state.writes[event.data.request_id];
        return request ? { ...state, writes: { ...state.writes, [event.data.request_id]: { ...request, status: 'failed' } } } : state;
      }
      case 'FileShared':
        return state;
      case 'FileUpdated':
        return event.data.changes.name === undefined ? state : { ...state, name: event.data.changes.name };
      case 'FileDeleted':
      case 'FileExpired':
        return { ...state, deleted: true };
      case 'FileUploadInitiated':
      case 'FileUploadAborted':
        return state;
    }
  },

  decide(command, state, { now }) {
    const at = now.toISOString();
    if (command.type === 'RegisterUpload') {
      if (state.exists) return [];
      if (state.upload?.status === 'aborted') throw new CommandRejectedError('not_found', 'RegisterUpload: the upload was aborted');
      return [{ type: 'FileUploaded', data: command.data }];
    }
    if (!state.exists) {
      const decided = decideAnnouncedUpload(command, state, at);
      if (decided) return decided;
    }
    if (command.type === 'InitiateUpload') return [];
    if (command.type === 'AbortUpload' && state.exists && !state.deleted) throw new CommandRejectedError('conflict', 'AbortUpload: the upload is already complete');
    const file = existing(state, command);
    if (file.deleted) {
      if (command.type === 'DeleteFile' || command.type === 'ExpireFile') return [];
      throw new CommandRejectedError('not_found', `${command.type}: the file was deleted`);
    }
    switch (command.type) {
      case 'AbortUpload':
        return [];
      case 'UpdateFile':
        return [{ type: 'FileUpdated', data: command.data }];
      case 'ShareFile':
        return [decideShare(command.data, at)];
      case 'DeleteFile':
        return [{ type: 'FileDeleted', data: { ...command.data, deleted_at: at } }];
      case 'ExpireFile':
        return [{ type: 'FileExpired', data: { expired_at: at } }];
      case 'AwaitScan':
        if (file.scan !== 'pending' || file.awaitingJobs.includes(command.data.job_id)) return [];
        return [{ type: 'FileScanAwaited', data: command.data }];
      case 'RecordScanVerdict':
        return file.scan === 'pending' ? [{ type: 'FileScanned', data: { ...command.data, scanned_at: at } }] : [];
      case 'RequestMetadataProbe':
        if (isQuarantined(file)) throw new CommandRejectedError('file_quarantined', 'the file was quarantined by the scanner');
        if (file.probedVersion >= file.version || file.probeRequestedVersion >= file.version) return [];
        return [{ type: 'FileMetadataProbeRequested', data: { version: file.version, requested_at: at } }];
      case 'RecordMetadataProbe':
        return command.data.version > file.probedVersion ? [{ type: 'FileMetadataProbed', data: { ...command.data, probed_at: at } }] : [];
      case 'WriteMetadata':
        if (file.writes[command.data.request_id]) return [];
        if (isQuarantined(file)) throw new CommandRejectedError('file_quarantined', 'the file was quarantined by the scanner');
        // The metadata tool parses the bytes it rewrites: not before the scanner has passed them.
        if (file.scan === 'pending') throw new CommandRejectedError('not_ready', 'the file has not been scanned yet');
        return [{ type: 'FileMetadataWriteRequested', data: { ...command.data, requested_at: at } }];
      case 'CompleteMetadataWrite': {
        const request = file.writes[command.data.request_id];
        if (request?.status !== 'requested') return [];
        const copy = request.copyFileId;
        const placement = copy === undefined ? { version: file.version + 1, replaced_blob_key: file.blob.blob_key } : { copy_file_id: copy, version: 1 };
        return [{ type: 'FileMetadataWritten', data: { ...command.data, ...placement, written_at: at } }];
      }
      case 'FailMetadataWrite':
        return file.writes[command.data.request_id]?.status === 'requested' ? [{ type: 'FileMetadataWriteFailed', data: { ...command.data, failed_at: at } }] : [];
    }
  },
};

/** Before its bytes arrive, a file only exists as an announced upload: opened, then completed, aborted or expired. */
function evolveAnnouncedUpload(state: { exists: false; upload?: AnnouncedUpload }, event: FileEvent): FileState {
  switch (event.type) {
    case 'FileUploadInitiated':
      return state.upload ? state : { exists: false, upload: { status: 'pending' } };
    case 'FileUploadAborted':
    case 'FileExpired':
      return state.upload ? { exists: false, upload: { status: 'aborted' } } : state;
    default:
      return state;
  }
}

/**
 * What becomes of a command to a file whose bytes have not arrived; undefined when the
 * announced upload does not decide it (the caller then treats the file as not found).
 * Repeats decide nothing: a pending upload opened twice, or aborted twice, is the same.
 */
function decideAnnouncedUpload(command: FileCommand, state: { exists: false; upload?: AnnouncedUpload }, at: string): FileEvent[] | undefined {
  const upload = state.upload;
  switch (command.type) {
    case 'InitiateUpload':
      return upload ? [] : [{ type: 'FileUploadInitiated', data: { ...command.data, initiated_at: at } }];
    case 'AbortUpload':
      if (upload?.status === 'pending') return [{ type: 'FileUploadAborted', data: { ...command.data, aborted_at: at } }];
      return upload ? [] : undefined;
    case 'ExpireFile':
      if (upload?.status === 'pending') return [{ type: 'FileExpired', data: { expired_at: at } }];
      return upload ? [] : undefined;
    default:
      return undefined;
  }
}

type ShareRequest = Extract<FileCommand, { type: 'ShareFile' }>['data'];

/**
 * A link-bearing share (`public`, `restricted`) must name the token id its links are signed
 * with; `private` and `org` have no links, so they carry none and thereby revoke the old ones.
 */
function decideShare(share: ShareRequest, at: string): FileEvent {
  const linked = share.visibility === 'public' || share.visibility === 'restricted';
  if (linked !== (share.share_token_id !== null)) {
    throw new CommandRejectedError('invalid_parameter', `ShareFile: a ${share.visibility} share ${linked ? 'needs' : 'has no'} share token id`);
  }
  if (!linked && share.expires_at !== null) throw new CommandRejectedError('invalid_parameter', `ShareFile: a ${share.visibility} share has no links to expire`);
  return { type: 'FileShared', data: { ...share, shared_at: at } };
}
