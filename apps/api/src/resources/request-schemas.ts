import { AppError } from '@conveyor/contracts';
import { decodeCursor } from '@conveyor/core';
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod/v4';

const identifier = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/);

/** `{org_id}/{id}` of a record's path. */
export const recordParamsSchema = z.object({ org_id: identifier.describe("The record's org"), id: identifier.describe("The record's id") });

/** A page of a list: `limit` (1–100, default 50) and the previous page's `next_cursor`. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('How many records, at most'),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .refine((cursor) => decodeCursor(cursor) !== undefined, 'not a cursor this API gave out')
    .optional()
    .describe("The previous page's next_cursor"),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The longest a fetch may hold its answer for the record to settle. */
export const maxFetchWaitSeconds = 30;

/** A fetch of a record that settles: `wait` seconds to hold the answer until it has (a long poll). */
export const fetchQuerySchema = z.object({
  wait: z.coerce
    .number()
    .min(0)
    .max(maxFetchWaitSeconds)
    .default(0)
    .describe(`Hold the answer up to this many seconds (at most ${maxFetchWaitSeconds}) until the record settles, e.g. a job completes, fails or is cancelled; 0 answers at once`),
});
export type FetchQuery = z.infer<typeof fetchQuerySchema>;

type ValidatedPart = 'params' | 'querystring' | 'body' | 'headers';

/**
 * A route's validator compiler that validates each part with the zod schema given for it, so
 * that what is checked is exactly what the route's JSON Schema documents. A part without a
 * schema here passes through (a body the handler validates once it knows the caller's role).
 */
export function zodValidatorCompiler(schemas: Partial<Record<ValidatedPart, z.ZodType>>): FastifySchemaCompiler<unknown> {
  return ({ httpPart }) => {
    const schema = schemas[httpPart as ValidatedPart];
    if (schema === undefined) return (data: unknown) => ({ value: data });
    return (data: unknown) => {
      const parsed = schema.safeParse(data);
      if (parsed.success) return { value: parsed.data };
      const issue = parsed.error.issues[0];
      return { error: new AppError('invalid_parameter', `${issue?.path.join('.') || httpPart}: ${issue?.message ?? 'invalid value'}`) };
    };
  };
}
