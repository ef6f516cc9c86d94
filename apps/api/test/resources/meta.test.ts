import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { anonymousOwner, call, gatewayCaller, gatewayEnv, type Caller } from './resource-client.js';

interface FieldMeta {
  name: string;
  type: string;
  editable: boolean;
  creatable: boolean;
  required: boolean;
  enum?: unknown[];
}

describe('GET /api/_meta', () => {
  let harness: ApiHarness;
  let owner: Caller;

  beforeAll(async () => {
    harness = await startApiHarness({ env: gatewayEnv, pipeline: false });
    owner = await anonymousOwner(harness);
  });
  afterAll(() => harness.close());

  const meta = async (caller: Caller, resource: string) => {
    const response = await call(harness, caller, 'GET', `/api/_meta/${resource}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ name: string; path: string; fields: FieldMeta[]; list_columns: string[]; actions: Array<{ name: string; path: string; allowed: boolean }>; json_schema: Record<string, unknown> }>();
  };
  const editableFields = (description: { fields: FieldMeta[] }) => description.fields.filter((field) => field.editable || field.creatable).map((field) => field.name);

  it('lists the five resources with their base paths, operations and actions', async () => {
    const response = await call(harness, owner, 'GET', '/api/_meta');
    expect(response.statusCode).toBe(200);
    const { resources } = response.json();
    expect(resources.map((resource: { name: string; path: string }) => [resource.name, resource.path])).toEqual([
      ['file', '/api/files'],
      ['conversion-job', '/api/conversion-jobs'],
      ['setting', '/api/settings'],
      ['feature-flag', '/api/feature-flags'],
      ['user', '/api/users'],
    ]);
    const setting = resources.find((resource: { name: string }) => resource.name === 'setting');
    expect(setting.operations).toEqual([
      { name: 'list', method: 'GET', path: '/api/settings' },
      { name: 'create', method: 'POST', path: '/api/settings' },
      { name: 'fetch', method: 'GET', path: '/api/settings/{org_id}/{id}' },
      { name: 'update', method: 'PATCH', path: '/api/settings/{org_id}/{id}' },
      { name: 'delete', method: 'DELETE', path: '/api/settings/{org_id}/{id}' },
    ]);
    const job = resources.find((resource: { name: string }) => resource.name === 'conversion-job');
    expect(job.actions).toEqual([
      { name: 'cancel', method: 'POST', path: '/api/conversion-jobs/{org_id}/{id}/cancel' },
      { name: 'retry', method: 'POST', path: '/api/conversion-jobs/{org_id}/{id}/retry' },
    ]);
  });

  it('describes one resource by its name or its path segment', async () => {
    const byName = await meta(owner, 'file');
    const bySegment = await meta(owner, 'files');
    expect(bySegment).toEqual(byName);
    expect(byName).toMatchObject({ name: 'file', path: '/api/files', list_columns: ['name', 'format', 'size', 'status', 'created_at'] });
    const fields = Object.fromEntries(byName.fields.map((field) => [field.name, field]));
    expect(fields.id).toMatchObject({ type: 'string', editable: false, creatable: false, read_only: true });
    expect(fields.size).toMatchObject({ type: 'integer', editable: false });
    expect(fields.created_at).toMatchObject({ type: 'datetime' });
    expect(fields.status).toMatchObject({ type: 'enum', enum: ['ready', 'quarantined', 'deleted'] });
    expect(fields.name).toMatchObject({ type: 'string', editable: true, max_length: 200 });
    expect(fields.visibility).toMatchObject({ type: 'enum', editable: true, creatable: true, write_only: true, required: false });
    expect(fields.file).toMatchObject({ type: 'file', creatable: true, editable: false, required: true });
  });

  it('answers 404 for a resource it does not know', async () => {
    const response = await call(harness, owner, 'GET', '/api/_meta/widgets');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('gives a viewer fewer editable fields than an owner or an admin', async () => {
    const forOwner = await meta(owner, 'file');
    const forAdmin = await meta(gatewayCaller(owner.orgId, 'admin'), 'file');
    const forViewer = await meta(gatewayCaller(owner.orgId, 'viewer'), 'file');
    expect(editableFields(forOwner)).toEqual(['name', 'visibility', 'file']);
    expect(editableFields(forAdmin)).toEqual(editableFields(forOwner));
    expect(editableFields(forViewer)).toEqual([]);
    expect(forViewer.json_schema).toMatchObject({ create: null, update: null });
  });

  it('leaves out the fields a role may not see, from fields, list_columns and the record schema', async () => {
    const forViewer = await meta(gatewayCaller(owner.orgId, 'viewer'), 'users');
    const forMember = await meta(gatewayCaller(owner.orgId, 'member'), 'users');
    expect(forMember.fields.map((field) => field.name)).toContain('email');
    expect(forViewer.fields.map((field) => field.name)).not.toContain('email');
    expect(forViewer.list_columns).toEqual(['name', 'role', 'created_at']);
    expect(Object.keys((forViewer.json_schema.record as { properties: object }).properties)).not.toContain('email');
  });

  it('says which actions the caller may use', async () => {
    expect((await meta(owner, 'conversion-job')).actions).toEqual([
      { name: 'cancel', method: 'POST', path: '/api/conversion-jobs/{org_id}/{id}/cancel', summary: expect.any(String), allowed: true },
      { name: 'retry', method: 'POST', path: '/api/conversion-jobs/{org_id}/{id}/retry', summary: expect.any(String), allowed: true },
    ]);
    const viewerActions = (await meta(gatewayCaller(owner.orgId, 'viewer'), 'conversion-job')).actions as Array<{ allowed: boolean }>;
    expect(viewerActions.map((action) => action.allowed)).toEqual([false, false]);
  });

  it('documents every auto-CRUD route in /openapi.json with its tag and summary', async () => {
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, methods] of [
      ['/api/files', ['get', 'post']],
      ['/api/files/{org_id}/{id}', ['get', 'patch', 'delete']],
      ['/api/conversion-jobs/{org_id}/{id}/cancel', ['post']],
      ['/api/users', ['get', 'post']],
      ['/api/_meta/{resource}', ['get']],
    ] as const) {
      for (const method of methods) {
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.summary).toBeTruthy();
        expect(operation.tags).toHaveLength(1);
      }
    }
    const createSetting = document.paths['/api/settings'].post;
    expect(createSetting.requestBody.content['application/json'].schema).toMatchObject({ required: ['key', 'value'], additionalProperties: false });
    expect(document.paths['/api/files'].post.requestBody.content['multipart/form-data']).toBeDefined();
  });
});
