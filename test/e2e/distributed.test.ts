import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';
import { createTestDatabase, testNatsUrl, uniqueName } from './support/environment.js';
import { deleteNamespaceStreams } from './support/nats-streams.js';
import { convertPngToWebp, convertUndecodablePng } from './support/png-to-webp-scenario.js';

describe('distributed deployment (NATS JetStream + PostgreSQL, api and worker as separate processes)', () => {
  const namespace = uniqueName('e2e');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let folder: string;
  let api: ConveyorProcess;
  let worker: ConveyorProcess;
  let baseUrl: string;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = await mkdtemp(join(tmpdir(), 'conveyor-e2e-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const shared = {
      NATS_URL: testNatsUrl,
      DATABASE_URL: database.url,
      CONVEYOR_NAMESPACE: namespace,
      BLOB_DIR: join(folder, 'blobs'),
      SESSION_SECRET: 'e2e-secret-shared-by-api-processes',
    };
    api = new ConveyorProcess('api', { ...shared, PORT: String(port), DATA_DIR: join(folder, 'api') });
    await waitForHealthy(baseUrl, api);
    const metricsPort = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    worker = new ConveyorProcess('worker', { ...shared, DATA_DIR: join(folder, 'worker'), METRICS_PORT: String(metricsPort) });
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await deleteNamespaceStreams(testNatsUrl, namespace);
    await database?.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('converts a PNG to WebP: requested through the api process, converted by the worker process', async () => {
    const client = new ApiClient(baseUrl);
    await client.startSession();
    await convertPngToWebp(client);
    await convertUndecodablePng(client);
  });

  it('reads a file’s metadata on demand: asked through the api process, probed by the worker process', async () => {
    const client = new ApiClient(baseUrl);
    await client.startSession();
    const { job } = await convertPngToWebp(client);
    const path = `/api/files/${client.orgId}/${job.file_id as string}/metadata`;
    // The first read asks for the probe; a read that outwaits it answers 409 not_ready, and a client reads again.
    const deadline = Date.now() + 15_000;
    let read = await client.get(path);
    while (read.status === 409 && Date.now() < deadline) read = await client.get(path);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ version: 1, common: { dimensions: { width: 321, height: 123 } } });
  });

  it('serves each process its own metrics: requests on the api port, conversion steps on the worker METRICS_PORT', async () => {
    const apiMetrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(apiMetrics).toMatch(/^http_server_request_duration_count\{http_request_method="POST",http_route="\/api\/convert",http_response_status_code="202"\} [1-9]/m);
    const workerMetrics = await fetch(workerMetricsUrl);
    expect(workerMetrics.status).toBe(200);
    const text = await workerMetrics.text();
    expect(text).toMatch(/^conveyor_conversion_step_duration_count\{plugin="image",from="png",to="webp",outcome="completed"\} [1-9]/m);
    expect(text).toMatch(/^conveyor_conversion_step_duration_count\{plugin="image",from="png",to="webp",outcome="failed"\} [1-9]/m);
    expect(text).not.toContain('http_server_request_duration');
  });

  it('stops both processes cleanly on Ctrl-C', async () => {
    expect(await worker.stop(), worker.log).toBe(0);
    expect(await api.stop(), api.log).toBe(0);
  });
});
