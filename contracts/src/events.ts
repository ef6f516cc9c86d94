import { z } from 'zod';
import { metadataEditSchema, metadataReportSchema, scanVerdictSchema } from './inspection.js';
import { defineMessage, type MessageOf, type MessagesOf } from './messages.js';

const jsonObject = z.record(z.string(), z.unknown());

export const fileVisibility = z.enum(['private', 'org', 'public', 'restricted']);

export const storedBlobSchema = z.object({
  blob_key: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.string(),
  mime: z.string(),
});
export type StoredBlob = z.infer<typeof storedBlobSchema>;
const storedBlob = storedBlobSchema;

const planStep = z.object({
  index: z.number().int().nonnegative(),
  from: z.string(),
  to: z.string(),
  plugin: z.string(),
  options: jsonObject,
});
export type PlanStep = z.infer<typeof planStep>;

/** The most files one conversion takes: its source and up to this many more, less one. */
export const maxConversionInputs = 20;

/** Files taken together with a conversion's source (a PDF merge's second to last files). */
export const additionalSources = z
  .array(z.object({ file_id: z.string(), blob_key: z.string() }))
  .min(1)
  .max(maxConversionInputs - 1);

export const FileUploaded = defineMessage(
  'FileUploaded',
  1,
  storedBlob.extend({
    name: z.string(),
    visibility: fileVisibility,
    uploaded_at: z.string(),
    /** When the file is removed by the sweeper: set for anonymous sessions' files. */
    expires_at: z.string().optional(),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('upload') }),
      z.object({ kind: z.literal('conversion'), job_id: z.string(), source_file_id: z.string() }),
      z.object({ kind: z.literal('metadata_copy'), request_id: z.string(), source_file_id: z.string() }),
    ]),
    /** How fast the bytes came in, for an upload streamed through the API (`PUT /api/uploads/…/data`). */
    throughput_bytes_per_s: z.number().positive().optional(),
    /**
     * The conversion requested with this upload (`POST /api/convert`): it waits for the file's
     * scan verdict from the start, as if a `FileScanAwaited` had followed.
     */
    awaiting_job_id: z.string().optional(),
  }),
);

/**
 * A client announced an upload (`POST /api/uploads/init`) whose bytes it streams next: the
 * file is pending, neither downloadable nor convertible, until `FileUploaded` completes it.
 */
export const FileUploadInitiated = defineMessage(
  'FileUploadInitiated',
  1,
  z.object({
    name: z.string(),
    /** The size the client announced; the bytes that arrive are what count. */
    declared_size: z.number().int().nonnegative().optional(),
    content_type: z.string().optional(),
    initiated_at: z.string(),
    /** When an anonymous session's pending upload is swept, as its finished file would be. */
    expires_at: z.string().optional(),
  }),
);

/** A pending upload its client gave up: the file never comes to exist. */
export const FileUploadAborted = defineMessage('FileUploadAborted', 1, z.object({ actor: z.string(), aborted_at: z.string() }));

/** A conversion waits for this file's scan verdict before it is planned. */
export const FileScanAwaited = defineMessage('FileScanAwaited', 1, z.object({ job_id: z.string() }));

/** The scanner's verdict on an uploaded file: an infected or rejected file is quarantined. */
export const FileScanned = defineMessage('FileScanned', 1, scanVerdictSchema.extend({ scanned_at: z.string() }));

/** Someone asked what metadata the file carries: `version` is to be probed, once the scanner has passed it. */
export const FileMetadataProbeRequested = defineMessage('FileMetadataProbeRequested', 1, z.object({ version: z.number().int().positive(), requested_at: z.string() }));

/** What metadata the file carries; `report` is null when no metadata tool reads its format. */
export const FileMetadataProbed = defineMessage(
  'FileMetadataProbed',
  1,
  z.object({ version: z.number().int().positive(), report: metadataReportSchema.nullable(), probed_at: z.string() }),
);

/** A client asked for the file's metadata to be rewritten, in place (a new version) or as a copy. */
export const FileMetadataWriteRequested = defineMessage(
  'FileMetadataWriteRequested',
  1,
  z.object({
    request_id: z.string(),
    edit: metadataEditSchema.omit({ as_copy: true }),
    /** The copy's file id, for `as_copy`; absent for a new version of this file. */
    copy_file_id: z.string().optional(),
    requested_at: z.string(),
  }),
);

/** The rewritten bytes: this file's next version, or (with `copy_file_id`) the copy's content. */
export const FileMetadataWritten = defineMessage(
  'FileMetadataWritten',
  1,
  z.object({
    request_id: z.string(),
    copy_file_id: z.string().optional(),
    version: z.number().int().positive(),
    blob: storedBlob,
    /** The bytes a new version replaces (deleted once it is written); absent for a copy. */
    replaced_blob_key: z.string().optional(),
    written_at: z.string(),
  }),
);

export const FileMetadataWriteFailed = defineMessage(
  'FileMetadataWriteFailed',
  1,
  z.object({ request_id: z.string(), error_code: z.string(), error_message: z.string(), failed_at: z.string() }),
);

export const ConversionRequested = defineMessage(
  'ConversionRequested',
  1,
  z.object({
    file_id: z.string(),
    source_name: z.string(),
    source_format: z.string(),
    source_blob_key: z.string(),
    additional_sources: additionalSources.optional(),
    target_format: z.string(),
    preset: z.string().optional(),
    options: jsonObject,
    requested_at: z.string(),
  }),
);

/** The conversion waits for its source files' scan verdicts (the job shows `scanning`). */
export const ConversionScanAwaited = defineMessage('ConversionScanAwaited', 1, z.object({ file_ids: z.array(z.string()).min(1) }));

export const ConversionPlanned = defineMessage('ConversionPlanned', 1, z.object({ steps: z.array(planStep).min(1) }));

export const ConversionStepStarted = defineMessage(
  'ConversionStepStarted',
  1,
  z.object({ step_index: z.number().int().nonnegative(), attempt: z.number().int().positive(), started_at: z.string() }),
);

export const ConversionStepProgressed = defineMessage(
  'ConversionStepProgressed',
  1,
  z.object({ step_index: z.number().int().nonnegative(), progress_pct: z.number().min(0).max(100) }),
);

export const ConversionStepCompleted = defineMessage(
  'ConversionStepCompleted',
  1,
  z.object({ step_index: z.number().int().nonnegative(), output: storedBlob, completed_at: z.string() }),
);

export const ConversionStepFailed = defineMessage(
  'ConversionStepFailed',
  1,
  z.object({
    step_index: z.number().int().nonnegative(),
    error_code: z.string(),
    error_message: z.string(),
    failed_at: z.string(),
  }),
);

export const ConversionCompleted = defineMessage(
  'ConversionCompleted',
  1,
  z.object({ output_file_id: z.string(), completed_at: z.string() }),
);

export const ConversionFailed = defineMessage(
  'ConversionFailed',
  1,
  z.object({ error_code: z.string(), error_message: z.string(), failed_at: z.string() }),
);

export const ConversionCancelled = defineMessage('ConversionCancelled', 1, z.object({ cancelled_at: z.string() }));

/**
 * Records of the auto-CRUD resources kept in the generic store (settings, feature flags,
 * users, API keys): `resource` names which; `data` holds its fields.
 */
export const ResourceCreated = defineMessage(
  'ResourceCreated',
  1,
  z.object({ resource: z.string(), data: jsonObject, actor: z.string(), created_at: z.string() }),
);
export const ResourceUpdated = defineMessage(
  'ResourceUpdated',
  1,
  z.object({ resource: z.string(), changes: jsonObject, actor: z.string(), updated_at: z.string() }),
);
export const ResourceDeleted = defineMessage('ResourceDeleted', 1, z.object({ resource: z.string(), actor: z.string(), deleted_at: z.string() }));

/** A file removed by its owner (or by the anonymous-session sweeper, as `FileExpired`); its bytes go with it. */
export const FileDeleted = defineMessage('FileDeleted', 1, z.object({ actor: z.string(), deleted_at: z.string() }));
export const FileExpired = defineMessage('FileExpired', 1, z.object({ expired_at: z.string() }));
/** A file's name or visibility changed. */
export const FileUpdated = defineMessage('FileUpdated', 1, z.object({ changes: z.object({ name: z.string().optional(), visibility: fileVisibility.optional() }), actor: z.string() }));
/**
 * Who may fetch the file changed through its share route. A `public` or `restricted` share makes
 * a new `share_token_id` that share links are verified against, so that each new share (and any
 * `private` or `org` one, which has none) revokes every link made before it.
 */
export const FileShared = defineMessage(
  'FileShared',
  1,
  z.object({
    visibility: fileVisibility,
    share_token_id: z.string().nullable(),
    /** When a `restricted` share's links stop working; null when they do not expire. */
    expires_at: z.string().nullable(),
    actor: z.string(),
    shared_at: z.string(),
  }),
);
/**
 * A failed job runs again under its id, planned from scratch: `retry` counts the reruns (task and
 * step ids carry it, so that the rerun's steps are not taken for the first run's repeats).
 */
export const ConversionRetried = defineMessage(
  'ConversionRetried',
  1,
  z.object({ retry: z.number().int().positive(), attempt_count: z.number().int().positive(), actor: z.string(), retried_at: z.string() }),
);
/** A finished (or cancelled) job removed from the org's list. */
export const ConversionDeleted = defineMessage('ConversionDeleted', 1, z.object({ actor: z.string(), deleted_at: z.string() }));

/** A message that exhausted its deliveries; it is parked here instead of retried forever. */
export const MessageDeadLettered = defineMessage(
  'MessageDeadLettered',
  1,
  z.object({
    stream: z.string(),
    consumer: z.string(),
    subject: z.string(),
    sequence: z.number().int().positive(),
    deliveries: z.number().int().positive(),
    dead_lettered_at: z.string(),
  }),
);

export const eventDefinitions = {
  FileUploaded,
  FileUploadInitiated,
  FileUploadAborted,
  FileScanAwaited,
  FileScanned,
  FileMetadataProbeRequested,
  FileMetadataProbed,
  FileMetadataWriteRequested,
  FileMetadataWritten,
  FileMetadataWriteFailed,
  FileUpdated,
  FileShared,
  FileDeleted,
  FileExpired,
  ConversionRequested,
  ConversionScanAwaited,
  ConversionPlanned,
  ConversionStepStarted,
  ConversionStepProgressed,
  ConversionStepCompleted,
  ConversionStepFailed,
  ConversionCompleted,
  ConversionFailed,
  ConversionCancelled,
  ConversionDeleted,
  ConversionRetried,
  ResourceCreated,
  ResourceUpdated,
  ResourceDeleted,
  MessageDeadLettered,
} as const;

export type DomainEvent = MessagesOf<typeof eventDefinitions>;
export type FileEvent = Extract<DomainEvent, { type: `File${string}` }>;
export type ConversionEvent = Extract<DomainEvent, { type: `Conversion${string}` }>;
export type ResourceEvent = Extract<DomainEvent, { type: `Resource${string}` }>;
export type SystemEvent = MessageOf<typeof MessageDeadLettered>;
export type EventType = DomainEvent['type'];

/** Validates an event's payload against its declared schema; throws on an unknown type. */
export function parseEventData(type: string, data: unknown): DomainEvent {
  const definition = (eventDefinitions as Record<string, { schema: z.ZodTypeAny }>)[type];
  if (!definition) throw new Error(`unknown event type ${type}`);
  return { type, data: definition.schema.parse(data) } as DomainEvent;
}
