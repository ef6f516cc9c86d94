import { z } from 'zod/v4';

/** A JSON Schema (draft 7, which both Fastify and OpenAPI 3.1 read). */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a zod schema, for route schemas and `/api/_meta`: `input` for what a client
 * sends (defaults make a field optional), `output` for what it gets back.
 *
 * @example jsonSchemaOf(z.object({ key: z.string() }), 'input') // { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], … }
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // The `$schema` keyword would make Fastify's compilers look the draft up, and OpenAPI does not want it inline.
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** The schema's properties, by name. */
export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

/** The names the schema requires. */
export function requiredOf(schema: JsonSchema): string[] {
  return (schema.required ?? []) as string[];
}
