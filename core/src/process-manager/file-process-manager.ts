import type { EventEnvelope, FileCommand, FileEvent, InspectMetadataTask, ScanFileTask, StoredBlob } from '@conveyor/contracts';
import { fileAggregate } from '../aggregates/aggregate-types.js';
import type { CommandHandler } from '../aggregates/command-handler.js';
import type { BlobStore } from '../blob-store/port.js';
import { mayBeParsed, type ExistingFile } from '../deciders/file-decider.js';
import type { EventLog, StoredMessage } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';
import type { Clock } from '../system/clock.js';
import { deriveId } from '../system/derived-id.js';
import { rewrittenFileBlobKey, uploadBlobKey } from './blob-keys.js';

export interface FileInspection {
  /** Whether a metadata tool here reads `format`; a file no tool reads is recorded as having none. */
  readsMetadataOf(format: string): boolean;
}

type EventData<Type extends FileEvent['type']> = Extract<FileEvent, { type: Type }>['data'];

/**
 * Drives what happens to a file besides conversions: every upload is scanned (a task for the
 * scanner workers); a version's metadata is probed when someone asks for it, and a metadata
 * rewrite is handed to a metadata worker, whose result becomes the file's next version or a new
 * file. Every reaction is idempotent: tasks carry fixed ids, commands derive theirs from the event.
 */
export class FileProcessManager {
  constructor(
    private readonly log: EventLog,
    private readonly commands: CommandHandler,
    private readonly blobs: BlobStore,
    private readonly inspection: FileInspection,
    private readonly clock: Clock,
  ) {}

  async react(envelope: EventEnvelope, sequence: number): Promise<void> {
    switch (envelope.type) {
      case 'FileUploaded':
        return this.inspectUpload(envelope, envelope.data as EventData<'FileUploaded'>);
      case 'FileScanned':
      case 'FileMetadataProbeRequested':
        return this.probeWhenAsked(envelope, sequence);
      case 'FileMetadataWriteRequested':
        return this.dispatchWrite(envelope, sequence, envelope.data as EventData<'FileMetadataWriteRequested'>);
      case 'FileMetadataWritten':
        return this.settleWrite(envelope, sequence, envelope.data as EventData<'FileMetadataWritten'>);
      case 'FileDeleted':
      case 'FileExpired':
        return this.removeBytes(envelope, sequence);
      case 'MessageDeadLettered':
        return this.settleDeadLetteredTask(envelope);
    }
  }

  /** A deleted or expired file keeps its history in the log, but not its bytes. */
  private async removeBytes(envelope: EventEnvelope, sequence: number): Promise<void> {
    const file = await this.fileAt(envelope, sequence);
    if (file) await this.blobs.delete(file.blob.blob_key);
  }

  /**
   * An upload is scanned before any tool parses it. What the service made itself — a conversion's
   * output, a metadata copy — comes from scanned files and needs no scan.
   */
  private async inspectUpload(envelope: EventEnvelope, uploaded: EventData<'FileUploaded'>): Promise<void> {
    if (uploaded.source.kind !== 'upload') return;
    const task: ScanFileTask = {
      type: 'ScanFile',
      data: { org_id: envelope.org_id, file_id: envelope.aggregate_id, blob_key: uploaded.blob_key, format: uploaded.format, name: uploaded.name, size: uploaded.size },
    };
    await this.log.append('tasks', { subject: subjects.scanTask, messageId: `${envelope.aggregate_id}:scan`, payload: task });
  }

  /**
   * Metadata is read only for someone who asked (most files are converted and fetched, never
   * inspected), and only from bytes the scanner has passed: a probe asked for while the scan runs
   * follows the clean verdict.
   */
  private async probeWhenAsked(envelope: EventEnvelope, sequence: number): Promise<void> {
    const file = await this.fileAt(envelope, sequence);
    if (!file || file.deleted || !mayBeParsed(file)) return;
    if (file.probeRequestedVersion < file.version || file.probedVersion >= file.version) return;
    await this.probe(envelope, file.blob, file.version);
  }

  private async probe(envelope: EventEnvelope, blob: StoredBlob, version: number): Promise<void> {
    if (!this.inspection.readsMetadataOf(blob.format)) {
      await this.decide(envelope, `probe:v${version}`, { type: 'RecordMetadataProbe', data: { version, report: null } });
      return;
    }
    const task: InspectMetadataTask = {
      type: 'InspectMetadata',
      data: { org_id: envelope.org_id, file_id: envelope.aggregate_id, blob_key: blob.blob_key, format: blob.format, version },
    };
    await this.log.append('tasks', { subject: subjects.metadataTask, messageId: `${envelope.aggregate_id}:probe:v${version}`, payload: task });
  }

  private async dispatchWrite(envelope: EventEnvelope, sequence: number, requested: EventData<'FileMetadataWriteRequested'>): Promise<void> {
    const file = await this.fileAt(envelope, sequence);
    if (!file || file.writes[requested.request_id]?.status !== 'requested') return;
    const outputBlobKey =
      requested.copy_file_id === undefined
        ? rewrittenFileBlobKey(envelope.org_id, envelope.aggregate_id, requested.request_id)
        : uploadBlobKey(envelope.org_id, requested.copy_file_id);
    const task: InspectMetadataTask = {
      type: 'InspectMetadata',
      data: {
        org_id: envelope.org_id,
        file_id: envelope.aggregate_id,
        blob_key: file.blob.blob_key,
        format: file.blob.format,
        version: file.version,
        write: { request_id: requested.request_id, edit: requested.edit, output_blob_key: outputBlobKey },
      },
    };
    await this.log.append('tasks', { subject: subjects.metadataTask, messageId: `${envelope.aggregate_id}:write:${requested.request_id}`, payload: task });
  }

  /** A copy becomes a file of its own; a new version's bytes replace the old ones, which are deleted. */
  private async settleWrite(envelope: EventEnvelope, sequence: number, written: EventData<'FileMetadataWritten'>): Promise<void> {
    const file = await this.fileAt(envelope, sequence);
    if (!file) return;
    if (written.copy_file_id !== undefined) {
      const register: FileCommand = {
        type: 'RegisterUpload',
        data: {
          ...written.blob,
          name: file.name,
          visibility: 'private',
          uploaded_at: this.clock.now().toISOString(),
          source: { kind: 'metadata_copy', request_id: written.request_id, source_file_id: envelope.aggregate_id },
        },
      };
      await this.commands.handle(
        fileAggregate,
        { aggregateId: written.copy_file_id, orgId: envelope.org_id, commandId: deriveId(envelope.id, 'register-copy'), correlationId: envelope.correlation_id },
        register,
      );
      return;
    }
    // Metadata is rewritten to be rid of it (GPS, names): the old bytes must not linger.
    if (written.replaced_blob_key !== undefined && written.replaced_blob_key !== written.blob.blob_key) await this.blobs.delete(written.replaced_blob_key);
  }

  /** A scan that never completed fails closed: the file is rejected, not waved through. */
  private async settleDeadLetteredTask(envelope: EventEnvelope): Promise<void> {
    const parked = envelope.data as { stream: string; sequence: number };
    if (parked.stream !== 'tasks') return;
    const [message] = await this.log.readStream('tasks', parked.sequence - 1, 1);
    const task = taskOf(message, parked.sequence);
    if (!task) return;
    const target = { ...envelope, aggregate_id: task.data.file_id, org_id: task.data.org_id };
    if (task.type === 'ScanFile') {
      await this.decide(target, 'dead-lettered-scan', { type: 'RecordScanVerdict', data: { verdict: 'rejected', engine: 'none', reason: 'the scan failed on every attempt' } });
    } else if (task.data.write) {
      const { request_id } = task.data.write;
      await this.decide(target, `dead-lettered-write:${request_id}`, {
        type: 'FailMetadataWrite',
        data: { request_id, error_code: 'dead_lettered', error_message: 'the metadata write failed on every attempt' },
      });
    } else {
      await this.decide(target, `dead-lettered-probe:v${task.data.version}`, { type: 'RecordMetadataProbe', data: { version: task.data.version, report: null } });
    }
  }

  private async fileAt(envelope: EventEnvelope, sequence: number): Promise<ExistingFile | undefined> {
    const state = await this.commands.stateAt(fileAggregate, envelope.aggregate_id, sequence);
    return state.exists ? state : undefined;
  }

  private decide(envelope: EventEnvelope, purpose: string, command: FileCommand) {
    return this.commands.handle(
      fileAggregate,
      { aggregateId: envelope.aggregate_id, orgId: envelope.org_id, commandId: deriveId(envelope.id, purpose), correlationId: envelope.correlation_id },
      command,
    );
  }
}

function taskOf(message: StoredMessage | undefined, sequence: number): ScanFileTask | InspectMetadataTask | undefined {
  if (!message || message.sequence !== sequence) return undefined;
  const task = message.payload as ScanFileTask | InspectMetadataTask;
  return task.type === 'ScanFile' || task.type === 'InspectMetadata' ? task : undefined;
}
