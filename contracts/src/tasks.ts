import { z } from 'zod';
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
  }),
);

export type ConvertStepTask = MessageOf<typeof ConvertStep>;
