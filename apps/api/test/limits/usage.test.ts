import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

describe('GET /api/usage', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ env: { PLAN_LIMITS: '{"free":{"storage_quota_bytes":1000000}}' } });
  });
  afterAll(() => harness.close());

  const usage = (authorization: string) => harness.app.inject({ method: 'GET', url: '/api/usage', headers: { authorization } });

  it("answers a new org's plan, its limits, and nothing stored", async () => {
    const { authorization } = await harness.session();

    const answer = await usage(authorization);

    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      plan: 'free',
      storage_bytes: 0,
      quota_bytes: 1_000_000,
      file_count: 0,
      limits: { ...harness.deps.plans.catalog.limitsOf('free'), storage_quota_bytes: 1_000_000 },
    });
  });

  it("counts a stored file's bytes for its org only", async () => {
    const owner = await harness.session();
    const other = await harness.session();
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'photo.png', content: pngBytes(4321), contentType: 'image/png' },
    ]);
    const converted = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization: owner.authorization }, payload: form.payload });
    expect(converted.statusCode).toBe(202);

    await vi.waitFor(async () => expect((await usage(owner.authorization)).json()).toMatchObject({ storage_bytes: 4321, file_count: 1 }), { timeout: 5_000 });
    expect((await usage(other.authorization)).json()).toMatchObject({ storage_bytes: 0, file_count: 0 });
  });

  it('needs a session', async () => {
    const answer = await harness.app.inject({ method: 'GET', url: '/api/usage' });
    expect(answer.statusCode).toBe(401);
  });

  it('requires the files:read scope and is documented in /openapi.json', async () => {
    expect(harness.routes.find((route) => route.url === '/api/usage' && route.method === 'GET')?.config).toMatchObject({ scope: 'files:read' });
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/api/usage'].get;
    expect(operation).toMatchObject({ tags: ['usage'], summary: expect.any(String) });
    expect(Object.keys(operation.responses['200'].content['application/json'].schema.properties)).toEqual(['plan', 'storage_bytes', 'quota_bytes', 'file_count', 'limits']);
  });
});
