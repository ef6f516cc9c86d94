// zod/v4, not the v3 API the rest of contracts uses: the API's resource definitions build their
// records from these views and generate their JSON Schemas with v4's z.toJSONSchema.
import { z } from 'zod/v4';

/** An ISO 8601 time, documented as such without zod's long validation pattern: views are ours, not clients'. */
export const isoTimestamp = () => z.string().meta({ format: 'date-time' });

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
  queued_at: isoTimestamp(),
  started_at: isoTimestamp().nullable(),
  completed_at: isoTimestamp().nullable(),
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
  created_at: isoTimestamp(),
});
export type FileView = z.infer<typeof fileSchema>;

export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
