import { AppError } from '@conveyor/contracts';
import { findResourceDefinition, resourceDefinitions } from '../resources/resource-catalog.js';
import { describeResource, describeResourceIndex } from '../resources/resource-meta.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const text = { type: 'string' } as const;
const tags = ['Metadata contract'];

const routeSchema = {
  type: 'object',
  required: ['name', 'method', 'path'],
  properties: { name: text, method: text, path: text, summary: text, allowed: { type: 'boolean', description: 'Whether this caller may use it.' } },
} as const;

const indexSchema = {
  type: 'object',
  required: ['resources'],
  properties: {
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'path', 'operations', 'actions'],
        properties: { name: text, label: text, path: text, operations: { type: 'array', items: routeSchema }, actions: { type: 'array', items: routeSchema } },
      },
    },
  },
} as const;

const resourceSchema = {
  type: 'object',
  required: ['name', 'path', 'fields', 'list_columns', 'operations', 'actions', 'json_schema'],
  properties: {
    name: text,
    label: text,
    description: text,
    path: text,
    fields: {
      type: 'array',
      description: 'The fields the caller’s role may see, with whether it may set them (creatable) and change them (editable).',
      items: { type: 'object', required: ['name', 'type', 'label', 'required', 'editable'], additionalProperties: true, properties: { name: text, type: text, label: text } },
    },
    list_columns: { type: 'array', items: text },
    operations: { type: 'array', items: routeSchema },
    actions: { type: 'array', items: routeSchema },
    json_schema: {
      type: 'object',
      description: 'JSON Schemas of the record as read, and of the create and update bodies (null when the caller may not).',
      additionalProperties: true,
    },
  },
} as const;

/**
 * `GET /api/_meta` lists every auto-CRUD resource; `GET /api/_meta/{resource}` describes one
 * (by name, `file`, or path segment, `files`) as the caller's role may use it. The UI renders
 * its forms and tables from these. They describe, and disclose no record, so they need no scope.
 */
export const metaRoutes: RoutePlugin = async (app) => {
  const index = describeResourceIndex(resourceDefinitions);

  app.get('/api/_meta', { schema: { tags, summary: 'List every resource and its base path.', response: { 200: indexSchema, 401: errorSchema } } }, async () => index);

  app.get<{ Params: { resource: string } }>(
    '/api/_meta/:resource',
    {
      schema: {
        tags,
        summary: 'Role-aware field schema, list_columns and actions for one resource.',
        params: { type: 'object', required: ['resource'], properties: { resource: { type: 'string', minLength: 1, maxLength: 64, description: 'A resource name (file) or path segment (files)' } } },
        response: { 200: resourceSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const definition = findResourceDefinition(request.params.resource);
      if (!definition) throw new AppError('not_found', `no resource ${request.params.resource}`);
      return describeResource(definition, request.identity);
    },
  );
};
