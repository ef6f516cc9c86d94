import { z } from 'zod';
import { defineMessage, type MessageOf, type MessagesOf } from './messages.js';

const jsonObject = z.record(z.string(), z.unknown());

export const fileVisibility = z.enum(['private', 'org', 'public', 'restricted']);

const storedBlob = z.object({
  blob_key: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.string(),
  mime: z.string(),
});
export type StoredBlob = z.infer<typeof storedBlob>;

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
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('upload') }),
      z.object({ kind: z.literal('conversion'), job_id: z.string(), source_file_id: z.string() }),
    ]),
  }),
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
  ConversionRequested,
  ConversionPlanned,
  ConversionStepStarted,
  ConversionStepProgressed,
  ConversionStepCompleted,
  ConversionStepFailed,
  ConversionCompleted,
  ConversionFailed,
  ConversionCancelled,
  MessageDeadLettered,
} as const;

export type DomainEvent = MessagesOf<typeof eventDefinitions>;
export type FileEvent = Extract<DomainEvent, { type: `File${string}` }>;
export type ConversionEvent = Extract<DomainEvent, { type: `Conversion${string}` }>;
export type SystemEvent = MessageOf<typeof MessageDeadLettered>;
export type EventType = DomainEvent['type'];

/** Validates an event's payload against its declared schema; throws on an unknown type. */
export function parseEventData(type: string, data: unknown): DomainEvent {
  const definition = (eventDefinitions as Record<string, { schema: z.ZodTypeAny }>)[type];
  if (!definition) throw new Error(`unknown event type ${type}`);
  return { type, data: definition.schema.parse(data) } as DomainEvent;
}
