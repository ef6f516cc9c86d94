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
    worker = new ConveyorProcess('worker', { ...shared, DATA_DIR: join(folder, 'worker') });
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

  it('stops both processes cleanly on Ctrl-C', async () => {
    expect(await worker.stop(), worker.log).toBe(0);
    expect(await api.stop(), api.log).toBe(0);
  });
});
