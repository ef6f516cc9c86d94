import { RegisterUpload, RequestConversion, type CommandEnvelope, type ConversionJobView, type MessageOf } from '@conveyor/contracts';
import type { Clock, IdGenerator } from '@conveyor/core';
import type { ReceivedFile } from '../upload/multipart-upload.js';
import { expiryAfter } from './file-expiry.js';
import type { ConversionRequest } from './conversion-request.js';

/** Who asks for what: the ids the ingress minted for one convert call. */
export interface ConversionIdentity {
  orgId: string;
  fileId: string;
  jobId: string;
  blobKey: string;
  /** How long the uploads live (an anonymous session's), counted from their registration; undefined: until deleted. */
  lifetimeSeconds?: number | undefined;
}

/** A file taken with the source (a PDF merge's second to last files), already stored. */
export interface AdditionalSource {
  fileId: string;
  blobKey: string;
  file: ReceivedFile;
  name: string;
  format: string;
  mime: string;
}

type RegisterUploadCommand = CommandEnvelope<MessageOf<typeof RegisterUpload>['data']>;

export interface ConversionCommands {
  /** The source's registration, then each additional source's, in order. */
  registerUploads: RegisterUploadCommand[];
  requestConversion: CommandEnvelope<MessageOf<typeof RequestConversion>['data']>;
}

/**
 * The commands of a convert call: register the uploaded file (and any further files taken
 * with it), then ask for its conversion. All carry the job id as correlation id, so the whole
 * job can be traced. Payloads are parsed against their contract schemas, so a malformed one fails here.
 */
export function buildConversionCommands(
  request: ConversionRequest,
  identity: ConversionIdentity,
  ports: { ids: IdGenerator; clock: Clock },
  additionalSources: readonly AdditionalSource[] = [],
): ConversionCommands {
  const issuedAt = ports.clock.now().toISOString();
  const envelope = { org_id: identity.orgId, issued_at: issuedAt, correlation_id: identity.jobId };
  const expiresAt = expiryAfter(issuedAt, identity.lifetimeSeconds);
  const register = (upload: { fileId: string; blobKey: string; file: ReceivedFile; name: string; format: string; mime: string }): RegisterUploadCommand => ({
    ...envelope,
    id: ports.ids.next(),
    type: RegisterUpload.type,
    version: RegisterUpload.version,
    aggregate: 'file',
    aggregate_id: upload.fileId,
    data: RegisterUpload.schema.parse({
      blob_key: upload.blobKey,
      size: upload.file.stored.size,
      sha256: upload.file.stored.sha256,
      format: upload.format,
      mime: upload.mime,
      name: upload.name,
      visibility: request.visibility,
      uploaded_at: issuedAt,
      ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      source: { kind: 'upload' },
      // The job is requested next: the file holds it for the verdict from the start.
      awaiting_job_id: identity.jobId,
    }),
  });
  const source = { fileId: identity.fileId, blobKey: identity.blobKey, file: request.file, name: request.name, format: request.sourceFormat, mime: request.mime };
  return {
    registerUploads: [source, ...additionalSources].map(register),
    requestConversion: {
      ...envelope,
      id: ports.ids.next(),
      type: RequestConversion.type,
      version: RequestConversion.version,
      aggregate: 'conversion',
      aggregate_id: identity.jobId,
      data: RequestConversion.schema.parse({
        file_id: identity.fileId,
        source_name: request.name,
        source_format: request.sourceFormat,
        source_blob_key: identity.blobKey,
        ...(additionalSources.length === 0
          ? {}
          : { additional_sources: additionalSources.map((additional) => ({ file_id: additional.fileId, blob_key: additional.blobKey })) }),
        target_format: request.targetFormat,
        ...(request.preset === undefined ? {} : { preset: request.preset }),
        options: request.options,
      }),
    },
  };
}

/**
 * The job as the client should see it right after the request, for when the projection has
 * not caught up yet: queued, nothing started, no steps planned.
 */
export function queuedJob(commands: ConversionCommands): ConversionJobView & { steps: unknown[] } {
  const { aggregate_id: jobId, org_id: orgId, issued_at: queuedAt, data } = commands.requestConversion;
  return {
    id: jobId,
    org_id: orgId,
    file_id: data.file_id,
    status: 'queued',
    progress_pct: 0,
    target_format: data.target_format,
    options: data.options,
    attempt_count: 0,
    error_code: null,
    error_message: null,
    queued_at: queuedAt,
    started_at: null,
    completed_at: null,
    duration_ms: null,
    output_file_id: null,
    steps: [],
  };
}
