import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/index.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';

const allHealthy: HealthReport = { ok: true, checks: { database: 'ok', event_log: 'ok', blobs: 'ok' } };

describe('sessions, authentication and the error surface', () => {
  let harness: ApiHarness;
  let health: () => Promise<HealthReport>;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false, health: () => health() });
  });
  beforeEach(() => {
    health = async () => allHealthy;
  });
  afterAll(() => harness.close());

  it('mints an anonymous session whose token belongs to a new org', async () => {
    const first = await harness.app.inject({ method: 'POST', url: '/api/anon/session' });
    const second = await harness.app.inject({ method: 'POST', url: '/api/anon/session' });
    expect(first.statusCode).toBe(200);
    const { token } = first.json<{ token: string }>();
    expect(Object.keys(first.json())).toEqual(['token']);
    const orgId = harness.deps.sessions.verify(token);
    expect(orgId).toMatch(/^[0-9a-z]{26}$/);
    expect(harness.deps.sessions.verify(second.json<{ token: string }>().token)).not.toBe(orgId);
  });

  it('serves its OpenAPI document and the docs page without a session', async () => {
    const document = await harness.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(document.statusCode).toBe(200);
    const openapi = document.json() as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/convert', '/api/conversion-jobs/{org_id}/{id}', '/api/health']));
    const page = await harness.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers 401 unauthorized without a bearer token', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/conversion-jobs/org/job' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('answers 401 unauthorized for a forged or malformed token', async () => {
    const { orgId } = await harness.session();
    for (const authorization of [`Bearer ${orgId}.forged-signature`, 'Bearer nodot', 'Basic abc', 'Bearer ']) {
      const response = await harness.app.inject({ method: 'GET', url: `/api/files/${orgId}/x`, headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('checks the token before reading an upload', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/convert',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--\r\n',
    });
    expect(response.statusCode).toBe(401);
  });

  it('puts a generated X-Request-Id on every response, errors included', async () => {
    const ok = await harness.app.inject({ method: 'POST', url: '/api/anon/session' });
    const unauthorized = await harness.app.inject({ method: 'GET', url: '/api/files/a/b' });
    const missing = await harness.app.inject({ method: 'GET', url: '/nowhere', headers: { 'request-id': 'client-chosen' } });
    const ids = [ok, unauthorized, missing].map((response) => response.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{26}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers an unknown route with 404 not_found', async () => {
    const { authorization } = await harness.session();
    for (const url of ['/nowhere', '/api/nowhere']) {
      const response = await harness.app.inject({ method: 'GET', url, headers: { authorization } });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('answers a malformed path parameter with 400 invalid_parameter', async () => {
    const { orgId, authorization } = await harness.session();
    const response = await harness.app.inject({ method: 'GET', url: `/api/files/${orgId}/not%20an%20id`, headers: { authorization } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
  });

  it('answers a body Fastify cannot parse with 400 invalid_parameter', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/anon/session',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_parameter');
  });

  it('answers an unexpected failure with a bare 500 internal_error', async () => {
    const { orgId, authorization } = await harness.session();
    const readModels = harness.deps.readModels;
    const original = readModels.conversionJob;
    readModels.conversionJob = async () => {
      throw new Error('relation "conversion_jobs" does not exist at /srv/secret/path');
    };
    try {
      const response = await harness.app.inject({ method: 'GET', url: `/api/conversion-jobs/${orgId}/job1`, headers: { authorization } });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal_error', message: 'internal error' } });
    } finally {
      readModels.conversionJob = original;
    }
  });

  it('reports health without authentication', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', event_log: 'ok', blobs: 'ok' } });
  });

  it('answers health 503 unavailable naming the failing check', async () => {
    health = async () => ({ ok: false, checks: { database: 'ok', event_log: 'connection refused' } });
    const response = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', event_log: 'connection refused' } });
  });

  it('answers health 503 when the health check itself throws', async () => {
    health = async () => Promise.reject(new Error('boom'));
    const response = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json().status).toBe('unavailable');
  });
});
