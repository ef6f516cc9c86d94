import { z } from 'zod';

export const aggregateKinds = ['file', 'conversion', 'resource', 'system'] as const;
export type AggregateKind = (typeof aggregateKinds)[number];

/** The envelope every event travels in, on either event log. */
export const eventEnvelopeSchema = z.object({
  id: z.string(),
  type: z.string(),
  version: z.number().int().positive(),
  aggregate: z.enum(aggregateKinds),
  aggregate_id: z.string(),
  org_id: z.string(),
  occurred_at: z.string(),
  causation_id: z.string().nullable(),
  correlation_id: z.string().nullable(),
  data: z.unknown(),
});

export type EventEnvelope<Data = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: Data };

/** The envelope of a command: an intention addressed to one aggregate. */
export const commandEnvelopeSchema = z.object({
  id: z.string(),
  type: z.string(),
  version: z.number().int().positive(),
  aggregate: z.enum(aggregateKinds),
  aggregate_id: z.string(),
  org_id: z.string(),
  issued_at: z.string(),
  correlation_id: z.string().nullable(),
  data: z.unknown(),
});

export type CommandEnvelope<Data = unknown> = Omit<z.infer<typeof commandEnvelopeSchema>, 'data'> & { data: Data };
