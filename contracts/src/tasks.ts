import { z } from 'zod';
import { metadataEditSchema } from './inspection.js';
import { defineMessage, type MessageOf } from './messages.js';

/** Work handed to the worker group that hosts `plugin`: one step of one conversion. */
export const ConvertStep = defineMessage(
  'ConvertStep',
  1,
  z.object({
    job_id: z.string(),
    org_id: z.string(),
    step_index: z.number().int().nonnegative(),
    plugin: z.string(),
    from: z.string(),
    to: z.string(),
    options: z.record(z.string(), z.unknown()),
    input_blob_key: z.string(),
    /** The further inputs of a step that takes several files, in order. */
    additional_input_blob_keys: z.array(z.string()).optional(),
    output_name: z.string(),
    /** Which rerun of a retried job this step belongs to; absent for the first run. */
    retry: z.number().int().positive().optional(),
  }),
);

export type ConvertStepTask = MessageOf<typeof ConvertStep>;

/** Scan an uploaded file (`task.scan`). */
export const ScanFile = defineMessage(
  'ScanFile',
  1,
  z.object({ org_id: z.string(), file_id: z.string(), blob_key: z.string(), format: z.string(), name: z.string(), size: z.number().int().nonnegative() }),
);
export type ScanFileTask = MessageOf<typeof ScanFile>;

/** Read a file's metadata, or rewrite it (`task.metadata`). */
export const InspectMetadata = defineMessage(
  'InspectMetadata',
  1,
  z.object({
    org_id: z.string(),
    file_id: z.string(),
    blob_key: z.string(),
    format: z.string(),
    /** The file version whose bytes `blob_key` holds. */
    version: z.number().int().positive(),
    write: z.object({ request_id: z.string(), edit: metadataEditSchema.omit({ as_copy: true }), output_blob_key: z.string() }).optional(),
  }),
);
export type InspectMetadataTask = MessageOf<typeof InspectMetadata>;
