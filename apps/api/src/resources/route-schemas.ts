import { jsonSchemaOf, type JsonSchema } from './json-schema.js';
import { fetchQuerySchema, listQuerySchema, recordParamsSchema } from './request-schemas.js';
import type { ResourceDefinition } from './resource-definition.js';

/** The JSON Schemas of a resource's routes, made from the zod schemas its routes validate with. */
export interface ResourceRouteSchemas {
  params: JsonSchema;
  listQuery: JsonSchema;
  /** The query of a fetch that may wait for its record to settle. */
  fetchQuery: JsonSchema;
  /** A record as read: every field may be absent, since a lesser role does not see them all. */
  record: JsonSchema;
  list: JsonSchema;
  createBody: JsonSchema;
  updateBody: JsonSchema;
}

export function resourceRouteSchemas(definition: ResourceDefinition): ResourceRouteSchemas {
  const record = jsonSchemaOf(definition.record.partial(), 'output');
  return {
    params: jsonSchemaOf(recordParamsSchema, 'input'),
    listQuery: jsonSchemaOf(listQuerySchema, 'input'),
    fetchQuery: jsonSchemaOf(fetchQuerySchema, 'input'),
    record,
    list: {
      type: 'object',
      required: ['items', 'next_cursor'],
      properties: {
        items: { type: 'array', items: record },
        next_cursor: { type: ['string', 'null'], description: 'Pass it as cursor for the next page; null on the last one.' },
      },
    },
    createBody: jsonSchemaOf(definition.create.schema, 'input'),
    updateBody: jsonSchemaOf(definition.update, 'input'),
  };
}
