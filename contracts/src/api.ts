import { z } from 'zod';

export const jobStatuses = ['queued', 'scanning', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const conversionJobSchema = z.object({
  id: z.string(),
  org_id: z.string(),
  file_id: z.string(),
  status: z.enum(jobStatuses),
  progress_pct: z.number(),
  target_format: z.string(),
  options: z.record(z.string(), z.unknown()),
  attempt_count: z.number().int(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  output_file_id: z.string().nullable(),
});
export type ConversionJobView = z.infer<typeof conversionJobSchema>;

export const fileStatuses = ['ready', 'quarantined', 'deleted'] as const;

export const fileSchema = z.object({
  id: z.string(),
  org_id: z.string(),
  name: z.string(),
  format: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  status: z.enum(fileStatuses),
  created_at: z.string(),
});
export type FileView = z.infer<typeof fileSchema>;

export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const convertFieldsSchema = z.object({
  target_format: z.string().min(1).regex(/^[a-z0-9][a-z0-9.+-]*$/),
  visibility: z.enum(['private', 'org', 'public', 'restricted']).default('private'),
  options: z.record(z.string(), z.unknown()).default({}),
  preset: z.string().min(1).max(64).optional(),
});
