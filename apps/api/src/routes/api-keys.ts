import { AppError, isoTimestamp } from '@conveyor/contracts';
import { decodeCursor } from '@conveyor/core';
import { z } from 'zod/v4';
import { createApiKeyCommand, revokeApiKeyCommand } from '../identity/api-key-commands.js';
import { apiKeyResource, toApiKeyRecord, type ApiKeyRecord } from '../identity/api-key-record.js';
import { mintApiKey } from '../identity/api-key-secret.js';
import { scopes, type Scope } from '../identity/identity.js';
import { newApiKeyData } from '../identity/new-api-key.js';
import { jsonSchemaOf } from '../resources/json-schema.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

/** How long an answer waits for the projection to show its own write (read-your-writes). */
const projectionWaitMs = 5000;

const scopeList = { type: 'array', items: { type: 'string', enum: [...scopes] } } as const;
const tags = ['Account & usage'];

/** A key as listed: never the key itself. */
const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(scopes)),
  prefix: z.string().describe('The first characters of the key, to tell keys apart.'),
  created_at: isoTimestamp(),
  last_used_at: isoTimestamp().nullable().describe('To within a minute; null until first used.'),
});
type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

const createdKeySchema = jsonSchemaOf(apiKeyViewSchema.extend({ key: z.string() }), 'output');
const keyPageSchema = jsonSchemaOf(z.object({ items: z.array(apiKeyViewSchema), next_cursor: z.string().nullable() }), 'output');

const createBodySchema = {
  type: 'object',
  required: ['name', 'scopes'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    scopes: { ...scopeList, minItems: 1, uniqueItems: true, description: 'At most the scopes the caller has.' },
  },
} as const;

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    cursor: { type: 'string', minLength: 1, description: 'The next_cursor of the previous page.' },
  },
} as const;

const keyParamsSchema = {
  type: 'object',
  required: ['key_id'],
  properties: { key_id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

function apiKeyView(record: ApiKeyRecord, lastUsedAt: Date | undefined): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    prefix: record.prefix,
    created_at: record.createdAt,
    last_used_at: lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * API keys of the caller's org: `POST /api/api-keys` creates one and answers the key, the only
 * time it is ever shown (only its hash is stored); `GET` lists them; `DELETE …/{key_id}`
 * revokes one. Managing keys needs the `admin` scope.
 */
export const apiKeyRoutes: RoutePlugin = async (app, { deps }) => {
  const config = { scope: 'admin' as const };

  app.post<{ Body: { name: string; scopes: Scope[] } }>(
    '/api/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API key.',
        description: 'The answer holds the key itself; it is never shown again. Send it as X-API-Key.',
        body: createBodySchema,
        response: { 201: createdKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const minted = mintApiKey();
      const data = newApiKeyData(request.identity, request.body, minted);
      const command = createApiKeyCommand({ identity: request.identity, keyId: deps.ids.next(), requestId: request.id }, data, deps);
      await deps.commands.send(command);
      const { aggregate_id: keyId, org_id: orgId } = command;
      request.log.info({ org_id: orgId, api_key_id: keyId }, 'API key created');
      const stored = await deps.readModels.waitForResource(orgId, apiKeyResource, keyId, (view) => view !== undefined, projectionWaitMs);
      const record = stored ? toApiKeyRecord(stored) : { ...data, id: keyId, orgId, createdAt: command.issued_at };
      return reply.code(201).send({ ...apiKeyView(record, undefined), key: minted.key });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/api/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'List your API keys.',
        description: 'Newest first; never the keys themselves.',
        querystring: listQuerySchema,
        response: { 200: keyPageSchema, ...errors },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      if (cursor !== undefined && decodeCursor(cursor) === undefined) throw new AppError('invalid_parameter', 'cursor: not a cursor this API gave out');
      const page = await deps.readModels.listResources(request.identity.orgId, apiKeyResource, limit, cursor);
      const records = page.items.map(toApiKeyRecord);
      const lastUsed = await deps.apiKeyUsage.lastUsed(records.map((record) => record.id));
      return { items: records.map((record) => apiKeyView(record, lastUsed.get(record.id))), next_cursor: page.next_cursor };
    },
  );

  app.delete<{ Params: { key_id: string } }>(
    '/api/api-keys/:key_id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API key.',
        description: 'The key stops authenticating at once. Another org’s key is answered 404, like an unknown one.',
        params: keyParamsSchema,
        response: { 204: { type: 'null', description: 'Revoked.' }, ...errors, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { orgId } = request.identity;
      const keyId = request.params.key_id;
      const existing = await deps.readModels.resource(orgId, apiKeyResource, keyId);
      if (existing === undefined) throw new AppError('not_found', `no API key ${keyId}`);
      await deps.commands.send(revokeApiKeyCommand({ identity: request.identity, keyId, requestId: request.id }, deps));
      request.log.info({ org_id: orgId, api_key_id: keyId }, 'API key revoked');
      await deps.readModels.waitForResource(orgId, apiKeyResource, keyId, (view) => view === undefined, projectionWaitMs);
      return reply.code(204).send();
    },
  );
};
