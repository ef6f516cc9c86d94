import { AppError } from '@conveyor/contracts';
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod/v4';
import type { ApiDependencies } from '../dependencies.js';
import { errorSchema } from '../routes/format-schemas.js';
import { isCallersOrg, type OrgScopedParams } from '../routes/route-plugin.js';
import { parseWriteBody, requireRole, visibleRecord } from './field-access.js';
import type { JsonSchema } from './json-schema.js';
import { fetchQuerySchema, listQuerySchema, recordParamsSchema, zodValidatorCompiler, type FetchQuery, type ListQuery } from './request-schemas.js';
import type { Access, ResourceDefinition, ResourceRecord, StoreCall } from './resource-definition.js';
import { resourceRouteSchemas } from './route-schemas.js';

interface RouteDescription {
  summary: string;
  access: Access;
  params?: { zod: z.ZodType; json: JsonSchema };
  querystring?: { zod: z.ZodType; json: JsonSchema };
  /** Documented here; validated by the handler once it knows the caller's role. */
  body?: JsonSchema;
  consumes?: string[];
  response: Record<number, unknown>;
  /** Error statuses the route answers besides 400, 401 and 403. */
  errors?: number[];
}

const errorResponses = (statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, errorSchema]));

/**
 * Makes a resource's routes from its definition: list, create, fetch, update and delete, and a
 * `POST …/{org_id}/{id}/<suffix>` per action. Each route declares its scope for `authorize`,
 * validates params and query with the zod schemas its OpenAPI schemas are made from, and checks
 * the caller's role; the store does the rest. Another org's record is 404, as an unknown one.
 */
export function registerResourceRoutes(app: FastifyInstance, definition: ResourceDefinition, deps: ApiDependencies): void {
  const store = definition.store(deps);
  const schemas = resourceRouteSchemas(definition);
  const { name, access, path } = definition;
  const recordPath = `${path}/:org_id/:id`;
  const tags = [`Auto-CRUD · ${name}`];
  const params = { zod: recordParamsSchema, json: schemas.params };

  const routeOptions = (route: RouteDescription): RouteShorthandOptions => ({
    config: { scope: route.access.scope },
    schema: {
      tags,
      summary: route.summary,
      ...(route.params ? { params: route.params.json } : {}),
      ...(route.querystring ? { querystring: route.querystring.json } : {}),
      ...(route.body ? { body: route.body } : {}),
      ...(route.consumes ? { consumes: route.consumes } : {}),
      response: { ...errorResponses([400, 401, 403, ...(route.errors ?? [])]), ...route.response },
    },
    validatorCompiler: zodValidatorCompiler({ params: route.params?.zod, querystring: route.querystring?.zod }),
  });

  const callOf = (request: FastifyRequest): StoreCall => ({ identity: request.identity, request });
  const shown = (request: FastifyRequest, record: ResourceRecord) => visibleRecord(definition, request.identity.role, record);

  const notFound = (id: string) => new AppError('not_found', `${name} ${id} not found`);

  /** The record the path names, if it is the caller's org's; another org's is not found, exactly as an unknown one. */
  const findCallersRecord = async (request: FastifyRequest<{ Params: OrgScopedParams }>): Promise<ResourceRecord> => {
    const { org_id: orgId, id } = request.params;
    const record = isCallersOrg(request, orgId) ? await store.find(callOf(request), id) : undefined;
    if (!record) throw notFound(id);
    return record;
  };

  app.get<{ Querystring: ListQuery }>(
    path,
    routeOptions({
      summary: `List ${name} records, newest first (limit + cursor).`,
      access: access.list,
      querystring: { zod: listQuerySchema, json: schemas.listQuery },
      response: { 200: schemas.list },
    }),
    async (request) => {
      requireRole(request.identity, access.list, `list ${name} records`);
      const page = await store.list(callOf(request), request.query);
      return { items: page.items.map((record) => shown(request, record)), next_cursor: page.next_cursor };
    },
  );

  const multipart = definition.create.kind === 'multipart';
  app.post(
    path,
    routeOptions({
      summary: `Create a ${name}${multipart ? ' by multipart upload' : ''}.`,
      access: access.create,
      body: schemas.createBody,
      ...(multipart ? { consumes: ['multipart/form-data'] } : {}),
      response: { 201: schemas.record },
      errors: multipart ? [409, 413] : [404, 409],
    }),
    async (request, reply) => {
      const { identity } = request;
      requireRole(identity, access.create, `create a ${name}`);
      // A multipart body is streamed by the store itself; the parser left it unread.
      const body = multipart ? {} : parseWriteBody(definition, 'create', identity.role, request.body);
      definition.checkWrite?.({ operation: 'create', identity, changes: body, existing: undefined });
      const record = await store.create(callOf(request), body);
      request.log.info({ org_id: identity.orgId, resource: name, id: record.id }, 'record created');
      return reply.code(201).send(shown(request, record));
    },
  );

  const findSettled = store.findSettled?.bind(store);
  app.get<{ Params: OrgScopedParams; Querystring: Partial<FetchQuery> }>(
    recordPath,
    routeOptions({
      summary: findSettled ? `Fetch one ${name}; with wait, once it has settled (a long poll).` : `Fetch one ${name}.`,
      access: access.fetch,
      params,
      ...(findSettled ? { querystring: { zod: fetchQuerySchema, json: schemas.fetchQuery } } : {}),
      response: { 200: schemas.record },
      errors: [404],
    }),
    async (request, reply) => {
      const waitMs = (request.query.wait ?? 0) * 1000;
      if (!findSettled || waitMs === 0) {
        const record = await findCallersRecord(request);
        requireRole(request.identity, access.fetch, `read a ${name}`);
        return shown(request, record);
      }
      const { org_id: orgId, id } = request.params;
      if (!isCallersOrg(request, orgId)) throw notFound(id);
      // A caller that hangs up ends its wait: nothing is left reading for no one.
      const hangUp = new AbortController();
      reply.raw.once('close', () => hangUp.abort());
      // The wait's first read answers what a plain fetch checks first, so no read of its own precedes it.
      const settled = await findSettled(callOf(request), id, {
        timeoutMs: waitMs,
        signal: hangUp.signal,
        checkFirst: (record) => {
          if (!record) throw notFound(id);
          requireRole(request.identity, access.fetch, `read a ${name}`);
        },
      });
      if (!settled) throw notFound(id);
      return shown(request, settled);
    },
  );

  app.patch<{ Params: OrgScopedParams }>(
    recordPath,
    routeOptions({
      summary: `Change some fields of a ${name}.`,
      access: access.update,
      params,
      body: schemas.updateBody,
      response: { 200: schemas.record },
      errors: [404, 409],
    }),
    async (request) => {
      const { identity } = request;
      const record = await findCallersRecord(request);
      requireRole(identity, access.update, `change a ${name}`);
      const changes = parseWriteBody(definition, 'update', identity.role, request.body);
      if (Object.keys(changes).length === 0) {
        throw new AppError('invalid_parameter', `nothing to change: give one or more of ${Object.keys(definition.update.shape).join(', ')}`);
      }
      definition.checkWrite?.({ operation: 'update', identity, changes, existing: record });
      const updated = await store.update(callOf(request), record, changes);
      request.log.info({ org_id: identity.orgId, resource: name, id: record.id, fields: Object.keys(changes) }, 'record updated');
      return shown(request, updated);
    },
  );

  app.delete<{ Params: OrgScopedParams }>(
    recordPath,
    routeOptions({
      summary: `Delete a ${name}.`,
      access: access.delete,
      params,
      response: { 204: { type: 'null', description: 'Deleted.' } },
      errors: [404, 409],
    }),
    async (request, reply) => {
      const { identity } = request;
      const record = await findCallersRecord(request);
      requireRole(identity, access.delete, `delete a ${name}`);
      definition.checkWrite?.({ operation: 'delete', identity, changes: {}, existing: record });
      await store.remove(callOf(request), record);
      request.log.info({ org_id: identity.orgId, resource: name, id: record.id }, 'record deleted');
      return reply.code(204).send();
    },
  );

  for (const action of definition.actions) {
    app.post<{ Params: OrgScopedParams }>(
      `${recordPath}/${action.suffix}`,
      routeOptions({ summary: action.summary, access: action.access, params, response: { 200: schemas.record }, errors: [404, 409] }),
      async (request) => {
        const record = await findCallersRecord(request);
        requireRole(request.identity, action.access, `${action.name} a ${name}`);
        return shown(request, await action.run(callOf(request), record, store, deps));
      },
    );
  }
}
