import { z } from 'zod';
import { defineMessage, type MessageOf, type MessagesOf } from './messages.js';
import { scanVerdictSchema, metadataEditSchema, metadataReportSchema } from './inspection.js';
import { additionalSources, storedBlobSchema, ConversionRetried, FileShared, FileUpdated, FileUploaded, FileUploadInitiated, ConversionPlanned, ConversionStepCompleted, ConversionStepFailed, ConversionStepProgressed, ConversionStepStarted } from './events.js';

export const RegisterUpload = defineMessage('RegisterUpload', 1, FileUploaded.schema);
/** Opens a pending upload; the decider stamps when. */
export const InitiateUpload = defineMessage('InitiateUpload', 1, FileUploadInitiated.schema.omit({ initiated_at: true }));
export const AbortUpload = defineMessage('AbortUpload', 1, z.object({ actor: z.string() }));

export const RequestConversion = defineMessage(
  'RequestConversion',
  1,
  z.object({
    file_id: z.string(),
    source_name: z.string(),
    source_format: z.string(),
    source_blob_key: z.string(),
    /** Further files of the source format the first step takes with the source, in order (a PDF merge). */
    additional_sources: additionalSources.optional(),
    target_format: z.string(),
    /** A preset of the final hop's capability; its params sit under `options`. */
    preset: z.string().optional(),
    options: z.record(z.string(), z.unknown()),
  }),
);

export const PlanConversion = defineMessage('PlanConversion', 1, ConversionPlanned.schema);
export const FailConversion = defineMessage('FailConversion', 1, z.object({ error_code: z.string(), error_message: z.string() }));
export const CompleteConversion = defineMessage('CompleteConversion', 1, z.object({ output_file_id: z.string() }));
export const StartConversionStep = defineMessage('StartConversionStep', 1, ConversionStepStarted.schema.omit({ started_at: true }));
export const ReportConversionProgress = defineMessage('ReportConversionProgress', 1, ConversionStepProgressed.schema);
export const CompleteConversionStep = defineMessage('CompleteConversionStep', 1, ConversionStepCompleted.schema.omit({ completed_at: true }));
export const FailConversionStep = defineMessage('FailConversionStep', 1, ConversionStepFailed.schema.omit({ failed_at: true }));
export const CancelConversion = defineMessage('CancelConversion', 1, z.object({}));
export const CreateResource = defineMessage('CreateResource', 1, z.object({ resource: z.string(), data: z.record(z.string(), z.unknown()), actor: z.string() }));
export const UpdateResource = defineMessage('UpdateResource', 1, z.object({ resource: z.string(), changes: z.record(z.string(), z.unknown()), actor: z.string() }));
export const DeleteResource = defineMessage('DeleteResource', 1, z.object({ resource: z.string(), actor: z.string() }));
export const UpdateFile = defineMessage('UpdateFile', 1, FileUpdated.schema);
/** The share token id comes with the command (from the caller's id generator), so that the decider stays free of randomness. */
export const ShareFile = defineMessage('ShareFile', 1, FileShared.schema.omit({ shared_at: true }));
export const RetryConversion = defineMessage('RetryConversion', 1, ConversionRetried.schema.pick({ actor: true }));
export const DeleteFile = defineMessage('DeleteFile', 1, z.object({ actor: z.string() }));
export const ExpireFile = defineMessage('ExpireFile', 1, z.object({}));
export const DeleteConversion = defineMessage('DeleteConversion', 1, z.object({ actor: z.string() }));
export const AwaitScan = defineMessage('AwaitScan', 1, z.object({ job_id: z.string() }));
export const MarkScanAwaited = defineMessage('MarkScanAwaited', 1, z.object({ file_ids: z.array(z.string()).min(1) }));
export const RecordScanVerdict = defineMessage('RecordScanVerdict', 1, scanVerdictSchema);
/** Someone asked what the file carries: its current version is probed once the scanner has passed it. */
export const RequestMetadataProbe = defineMessage('RequestMetadataProbe', 1, z.object({}));
export const RecordMetadataProbe = defineMessage(
  'RecordMetadataProbe',
  1,
  z.object({ version: z.number().int().positive(), report: metadataReportSchema.nullable() }),
);
export const WriteMetadata = defineMessage(
  'WriteMetadata',
  1,
  z.object({ request_id: z.string(), edit: metadataEditSchema.omit({ as_copy: true }), copy_file_id: z.string().optional() }),
);
export const CompleteMetadataWrite = defineMessage('CompleteMetadataWrite', 1, z.object({ request_id: z.string(), blob: storedBlobSchema }));
export const FailMetadataWrite = defineMessage('FailMetadataWrite', 1, z.object({ request_id: z.string(), error_code: z.string(), error_message: z.string() }));

export const commandDefinitions = {
  RegisterUpload,
  InitiateUpload,
  AbortUpload,
  UpdateFile,
  ShareFile,
  DeleteFile,
  ExpireFile,
  DeleteConversion,
  RetryConversion,
  CreateResource,
  UpdateResource,
  DeleteResource,
  AwaitScan,
  RecordScanVerdict,
  RequestMetadataProbe,
  RecordMetadataProbe,
  WriteMetadata,
  CompleteMetadataWrite,
  FailMetadataWrite,
  RequestConversion,
  MarkScanAwaited,
  PlanConversion,
  FailConversion,
  CompleteConversion,
  StartConversionStep,
  ReportConversionProgress,
  CompleteConversionStep,
  FailConversionStep,
  CancelConversion,
} as const;

export type Command = MessagesOf<typeof commandDefinitions>;
export type FileCommand =
  | MessageOf<typeof RegisterUpload>
  | MessageOf<typeof InitiateUpload>
  | MessageOf<typeof AbortUpload>
  | MessageOf<typeof UpdateFile>
  | MessageOf<typeof ShareFile>
  | MessageOf<typeof DeleteFile>
  | MessageOf<typeof ExpireFile>
  | MessageOf<typeof AwaitScan>
  | MessageOf<typeof RecordScanVerdict>
  | MessageOf<typeof RequestMetadataProbe>
  | MessageOf<typeof RecordMetadataProbe>
  | MessageOf<typeof WriteMetadata>
  | MessageOf<typeof CompleteMetadataWrite>
  | MessageOf<typeof FailMetadataWrite>;
export type ResourceCommand = MessageOf<typeof CreateResource> | MessageOf<typeof UpdateResource> | MessageOf<typeof DeleteResource>;
export type ConversionCommand = Exclude<Command, FileCommand | ResourceCommand>;

export function parseCommandData(type: string, data: unknown): Command {
  const definition = (commandDefinitions as Record<string, { schema: z.ZodTypeAny }>)[type];
  if (!definition) throw new Error(`unknown command type ${type}`);
  return { type, data: definition.schema.parse(data) } as Command;
}
