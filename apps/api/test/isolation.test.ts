import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes } from './support/multipart.js';

/** What org B owns, by the path prefix that addresses it. */
interface OrgRecords {
  orgId: string;
  authorization: string;
  ids: Record<string, string>;
}

/** A body each writing route accepts, so that the answer depends on the record and nothing else. */
const bodies: Record<string, unknown> = {
  'PATCH /api/files': { name: 'renamed.png' },
  'PATCH /api/conversion-jobs': { status: 'cancelled' },
  'PATCH /api/settings': { value: 2 },
  'PATCH /api/feature-flags': { enabled: false },
  'PATCH /api/users': { name: 'Someone Else' },
  'POST /api/files/metadata': { strip_all: true },
  'POST /api/files/share': { visibility: 'public' },
};

async function create(harness: ApiHarness, authorization: string, url: string, payload: unknown): Promise<string> {
  const response = await harness.app.inject({ method: 'POST', url, headers: { authorization }, payload: payload as object });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
  return response.json<{ id: string }>().id;
}

/** Org B with one of everything the native API addresses by id. */
async function populatedOrg(harness: ApiHarness): Promise<OrgRecords> {
  const { authorization, orgId } = await harness.session();
  const form = multipartForm([
    { name: 'target_format', value: 'webp' },
    { name: 'file', fileName: 'b.png', content: pngBytes(2000), contentType: 'image/png' },
  ]);
  const converted = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
  expect(converted.statusCode, converted.body).toBe(202);
  const job = converted.json<{ id: string; file_id: string }>();
  const upload = await harness.app.inject({ method: 'POST', url: '/api/uploads/init', headers: { authorization }, payload: { name: 'b-pending.png' } });
  expect(upload.statusCode, upload.body).toBe(201);
  return {
    orgId,
    authorization,
    ids: {
      '/api/files': job.file_id,
      '/api/uploads': upload.json<{ file_id: string }>().file_id,
      '/api/conversion-jobs': job.id,
      '/api/settings': await create(harness, authorization, '/api/settings', { key: 'retention', value: 1 }),
      '/api/feature-flags': await create(harness, authorization, '/api/feature-flags', { key: 'beta', enabled: true }),
      '/api/users': await create(harness, authorization, '/api/users', { email: 'b@example.com', name: 'B', role: 'member' }),
      '/api/api-keys': await create(harness, authorization, '/api/api-keys', { name: 'b', scopes: ['files:read'] }),
    },
  };
}

function methodsOf(route: RouteOptions): string[] {
  return [route.method].flat().map(String).filter((method) => method !== 'HEAD');
}

/** The record a route's path addresses, by its longest matching prefix. */
function recordPrefix(url: string, ids: Record<string, string>): string | undefined {
  return Object.keys(ids)
    .filter((prefix) => url.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length)[0];
}

describe('tenant isolation: every route of the native API, given another org’s ids', () => {
  let harness: ApiHarness;
  let caller: { authorization: string; orgId: string };
  let other: OrgRecords;

  beforeAll(async () => {
    harness = await startApiHarness();
    other = await populatedOrg(harness);
    caller = await harness.session();
  });
  afterAll(() => harness.close());

  /** Each route that names a record, with B's ids put in: under B's org, and under the caller's own org. */
  const addressedRoutes = () =>
    harness.routes
      .filter((route) => route.schema?.hide !== true && /:(org_id|key_id|file_id)/.test(route.url))
      .flatMap((route) =>
        methodsOf(route).flatMap((method) => {
          const prefix = recordPrefix(route.url, other.ids);
          if (prefix === undefined) throw new Error(`no record of org B for ${method} ${route.url}: add one to populatedOrg`);
          const fill = (orgId: string) =>
            route.url
              .replace(':org_id', orgId)
              .replace(/:(id|file_id|job_id|key_id)\b/, other.ids[prefix]!);
          const action = route.url.slice(`${prefix}/:org_id/:id`.length);
          const body = bodies[`${method} ${prefix}${action}`] ?? bodies[`${method} ${prefix}`] ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
          const urls = route.url.includes(':org_id') ? [fill(other.orgId), fill(caller.orgId)] : [fill(caller.orgId)];
          return urls.map((url) => ({ route: `${method} ${route.url}`, method, url, body }));
        }),
      );

  it('answers 404 not_found, never 403 or success, on every route that names a record', async () => {
    const requests = addressedRoutes();
    expect(requests.length).toBeGreaterThan(15);
    const leaks: string[] = [];
    for (const request of requests) {
      const response = await harness.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: { authorization: caller.authorization },
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
      const code = response.headers['content-type']?.toString().includes('json') ? response.json<{ error?: { code: string } }>().error?.code : undefined;
      if (response.statusCode !== 404 || code !== 'not_found') leaks.push(`${request.route} (${request.url}) → ${response.statusCode} ${response.body.slice(0, 120)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('left org B’s records as they were', async () => {
    for (const prefix of ['/api/files', '/api/settings', '/api/feature-flags', '/api/users', '/api/conversion-jobs']) {
      const response = await harness.app.inject({ method: 'GET', url: `${prefix}/${other.orgId}/${other.ids[prefix]}`, headers: { authorization: other.authorization } });
      expect(response.statusCode, `${prefix}: ${response.body}`).toBe(200);
    }
    const file = await harness.app.inject({ method: 'GET', url: `/api/files/${other.orgId}/${other.ids['/api/files']}`, headers: { authorization: other.authorization } });
    expect(file.json()).toMatchObject({ name: 'b.png' });
    const keys = await harness.app.inject({ method: 'GET', url: '/api/api-keys', headers: { authorization: other.authorization } });
    expect(keys.json<{ items: Array<{ id: string }> }>().items.map((key) => key.id)).toEqual([other.ids['/api/api-keys']]);
  });

  it('lists, usage and audit show the caller nothing of org B', async () => {
    const lists = harness.routes.filter((route) => methodsOf(route).includes('GET') && route.url.startsWith('/api/') && !route.url.includes(':'));
    const secrets = [other.orgId, ...Object.values(other.ids)];
    const shown: string[] = [];
    for (const route of lists) {
      const response = await harness.app.inject({ method: 'GET', url: route.url, headers: { authorization: caller.authorization } });
      for (const secret of secrets) if (response.body.includes(secret)) shown.push(`${route.url} shows ${secret}`);
    }
    expect(lists.map((route) => route.url)).toEqual(expect.arrayContaining(['/api/files', '/api/conversion-jobs', '/api/settings', '/api/users', '/api/api-keys', '/api/audit', '/api/usage']));
    expect(shown).toEqual([]);
  });
});
