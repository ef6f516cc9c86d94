import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';

describe('GET /metrics', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false });
  });
  afterAll(() => harness.close());

  it('needs no credentials and times each request by method, route pattern and status', async () => {
    await harness.app.inject({ method: 'GET', url: '/api/health' });
    await harness.app.inject({ method: 'GET', url: '/api/files/some-org/some-file' });
    await harness.app.inject({ method: 'GET', url: '/api/no-such-route/123' });

    const response = await harness.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    expect(text).toMatch(/^http_server_request_duration_count\{http_request_method="GET",http_route="\/api\/health",http_response_status_code="200"\} 1$/m);
    // The route's pattern, never the ids in the URL: one series per route, not per file.
    expect(text).toMatch(/^http_server_request_duration_count\{http_request_method="GET",http_route="\/api\/files\/:org_id\/:id",http_response_status_code="401"\} 1$/m);
    expect(text).toMatch(/^http_server_request_duration_count\{http_request_method="GET",http_route="unmatched",http_response_status_code="404"\} 1$/m);
    expect(text).not.toContain('some-file');
  });
});
