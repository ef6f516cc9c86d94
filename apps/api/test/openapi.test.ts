import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; parameters?: Array<{ name: string; in: string }> }>>;
}

/** Fastify's `/a/:b` as OpenAPI's `/a/{b}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

describe('the OpenAPI document', () => {
  let harness: ApiHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false });
    const response = await harness.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json<OpenApiDocument>();
  });
  afterAll(() => harness.close());

  const documentedRoutes = () =>
    harness.routes
      .filter((route) => route.schema?.hide !== true)
      .flatMap((route) => [route.method].flat().map((method) => ({ method: String(method).toLowerCase(), url: route.url })))
      .filter((route) => route.method !== 'head');

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('covers every route the server answers, each with a summary', () => {
    const routes = documentedRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((route) => document.paths[openApiPath(route.url)]?.[route.method] === undefined);
    expect(missing).toEqual([]);
    const unsummarised = routes.filter((route) => !document.paths[openApiPath(route.url)]?.[route.method]?.summary);
    expect(unsummarised).toEqual([]);
  });

  it('documents every path parameter of every route', () => {
    const undocumented = documentedRoutes().flatMap((route) => {
      const operation = document.paths[openApiPath(route.url)]?.[route.method];
      const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
      return names.filter((name) => !operation?.parameters?.some((p) => p.in === 'path' && p.name === name)).map((name) => `${route.method} ${route.url} :${name}`);
    });
    expect(undocumented).toEqual([]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});
