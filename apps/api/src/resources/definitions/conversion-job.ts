import { conversionJobSchema, isoTimestamp } from '@conveyor/contracts';
import { z } from 'zod/v4';
import { defineResource, type Access } from '../resource-definition.js';
import { retryConversionJob } from '../stores/conversion-job-retry.js';
import { conversionJobStore } from '../stores/conversion-job-store.js';
import { recordIdentityFields } from './common-fields.js';

// Loose, so that a field the projection adds to steps reaches clients rather than being dropped by the serializer.
const jobStep = z.looseObject({
  index: z.number().int(),
  from: z.string(),
  to: z.string(),
  plugin: z.string(),
  status: z.enum(['pending', 'processing', 'completed', 'failed']),
  progress_pct: z.number(),
  started_at: isoTimestamp().nullable(),
  completed_at: isoTimestamp().nullable(),
});

const converting: Access = { scope: 'convert:write', role: 'member' };

/** A conversion of one of the org's files; its record is the ConversionJobView `GET /api/conversion-jobs/…` has always answered. */
export const conversionJobResource = defineResource({
  name: 'conversion-job',
  path: '/api/conversion-jobs',
  label: 'Conversion job',
  description: 'A conversion of one of the org’s files into another format; its output is a new file.',
  record: conversionJobSchema.extend({ steps: z.array(jobStep) }),
  create: {
    kind: 'json',
    schema: z
      .object({
        file_id: z.string().min(1).max(128),
        target_format: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9.+-]*$/, 'a format id or extension, e.g. webp'),
        options: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  },
  update: z.object({ status: z.literal('cancelled') }).partial().strict(),
  fields: {
    ...recordIdentityFields,
    file_id: { label: 'Source file', description: 'The org’s file to convert.', visibleTo: 'viewer', editableBy: 'member' },
    status: { label: 'Status', description: 'queued, scanning, processing, then completed, failed or cancelled. Set cancelled to cancel.', visibleTo: 'viewer', editableBy: 'member' },
    progress_pct: { label: 'Progress %', description: 'Of the whole plan.', visibleTo: 'viewer', editableBy: null },
    target_format: { label: 'Target format', description: 'The format to convert to (an id or an extension).', visibleTo: 'viewer', editableBy: 'member' },
    options: { label: 'Options', description: 'Options of the final conversion step (see GET /api/files/{org_id}/{id}/conversions).', visibleTo: 'viewer', editableBy: 'member' },
    attempt_count: { label: 'Attempts', description: 'Step attempts made so far.', visibleTo: 'viewer', editableBy: null },
    error_code: { label: 'Error code', description: 'Why the job failed, if it did.', visibleTo: 'viewer', editableBy: null },
    error_message: { label: 'Error', description: 'What went wrong, for people.', visibleTo: 'viewer', editableBy: null },
    queued_at: { label: 'Queued', description: 'When the job was asked for.', visibleTo: 'viewer', editableBy: null },
    started_at: { label: 'Started', description: 'When its first step started.', visibleTo: 'viewer', editableBy: null },
    completed_at: { label: 'Finished', description: 'When it completed, failed or was cancelled.', visibleTo: 'viewer', editableBy: null },
    duration_ms: { label: 'Duration (ms)', description: 'From start to finish.', visibleTo: 'viewer', editableBy: null },
    output_file_id: { label: 'Output file', description: 'The file the job made, once completed.', visibleTo: 'viewer', editableBy: null },
    steps: { label: 'Steps', description: 'The plan: one conversion per step, with its plugin and progress.', visibleTo: 'viewer', editableBy: null },
  },
  listColumns: ['file_id', 'target_format', 'status', 'progress_pct', 'queued_at'],
  access: {
    list: { scope: 'files:read', role: 'viewer' },
    fetch: { scope: 'files:read', role: 'viewer' },
    create: converting,
    update: converting,
    delete: converting,
  },
  actions: [
    {
      name: 'cancel',
      summary: 'Cancel the job, unless it has finished.',
      suffix: 'cancel',
      access: converting,
      run: (call, record, store) => store.update(call, record, { status: 'cancelled' }),
    },
    {
      name: 'retry',
      summary: 'Run a failed job again under its id, planned afresh; any other job is 409.',
      suffix: 'retry',
      access: converting,
      run: (call, record, _store, deps) => retryConversionJob(call, record, deps),
    },
  ],
  store: conversionJobStore,
});
