import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unavailableReason } from '../fixtures/unavailable-plugin/index.mjs';
import { binaryPixmap } from '../fixtures/third-party-plugin/test/pixmaps.js';
import { ApiClient } from './support/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';
import { samplePng } from './support/png-to-webp-scenario.js';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const netpbmPlugin = fixture('third-party-plugin/index.mjs');
const unavailablePlugin = fixture('unavailable-plugin/index.mjs');

/** The structured (pino) lines of a process's output; other lines are left out. */
function logRecords(output: string): Array<Record<string, unknown>> {
  return output.split('\n').flatMap((line) => {
    try {
      const record: unknown = JSON.parse(line);
      return typeof record === 'object' && record !== null ? [record as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

async function acceptedJob(response: Response, client: ApiClient): Promise<Record<string, unknown>> {
  expect(response.status).toBe(202);
  const accepted = (await response.json()) as Record<string, unknown>;
  client.orgId ||= accepted.org_id as string;
  return client.waitForJob(client.orgId, accepted.id as string);
}

describe('third-party plugins loaded through CONVEYOR_PLUGINS (embedded deployment)', () => {
  let dataDir: string;
  let server: ConveyorProcess;
  let client: ApiClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-plugins-'));
    const port = await freePort();
    server = new ConveyorProcess('start', { DATA_DIR: dataDir, PORT: String(port), CONVEYOR_PLUGINS: `${netpbmPlugin},${unavailablePlugin}` });
    await waitForHealthy(`http://127.0.0.1:${port}`, server);
    client = new ApiClient(`http://127.0.0.1:${port}`);
    await client.startSession();
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('converts a PPM to WebP in two steps: the third-party plugin to PNG, then the first-party image plugin', async () => {
    const job = await acceptedJob(await client.convert(binaryPixmap(40, 30), 'scan.ppm', 'webp'), client);
    expect(job).toMatchObject({ status: 'completed', progress_pct: 100, error_code: null, target_format: 'webp' });
    expect(job.steps).toEqual([
      expect.objectContaining({ index: 0, from: 'ppm', to: 'png', plugin: 'netpbm', status: 'completed', progress_pct: 100 }),
      expect.objectContaining({ index: 1, from: 'png', to: 'webp', plugin: 'image', status: 'completed', progress_pct: 100 }),
    ]);

    const source = await client.get(`/api/files/${client.orgId}/${job.file_id as string}`);
    expect(source.body).toMatchObject({ format: 'ppm', mime: 'image/x-portable-pixmap', name: 'scan.ppm' });
    const output = await client.get(`/api/files/${client.orgId}/${job.output_file_id as string}`);
    expect(output.body).toMatchObject({ format: 'webp', mime: 'image/webp', name: 'scan.webp', status: 'ready' });
    const download = await client.download(client.orgId, job.output_file_id as string);
    expect(download.status).toBe(200);
    const webp = Buffer.from(await download.arrayBuffer());
    expect(await sharp(webp).metadata()).toMatchObject({ format: 'webp', width: 40, height: 30 });
  });

  it('fails a malformed PPM with the plugin’s invalid_input', async () => {
    const malformed = Buffer.from('P6\n40 30\n255\nonly a few pixel bytes', 'latin1');
    const job = await acceptedJob(await client.convert(malformed, 'broken.ppm', 'webp'), client);
    expect(job).toMatchObject({ status: 'failed', error_code: 'invalid_input', output_file_id: null });
    expect(job.error_message).toMatch(/PPM.*truncated/);
    expect((job.steps as Array<Record<string, unknown>>)[0]).toMatchObject({ plugin: 'netpbm', status: 'failed' });
  });

  it('refuses a PNG named .ppm: the declared extension does not overrule the content', async () => {
    const response = await client.convert(await samplePng(40, 30), 'disguised.ppm', 'webp');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_file_type', message: 'the file is named as ppm but its content is png' } });
  });

  it('leaves a plugin whose probe fails out of the graph, and logs its reason', async () => {
    const leftOut = logRecords(server.log).find((record) => record.msg === 'plugin left out: probe failed');
    expect(leftOut).toMatchObject({ plugin: 'jpeg-xl-example', reason: unavailableReason });

    const response = await client.convert(await samplePng(40, 30), 'photo.png', 'jxl');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'unsupported_conversion', message: 'cannot convert png to jxl' } });
  });
});

describe('a CONVEYOR_PLUGINS entry that fails to load', () => {
  let dataDir: string | undefined;
  let starting: ConveyorProcess | undefined;

  afterEach(async () => {
    await starting?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['a package that is not installed', 'conveyor-plugin-that-is-not-installed'],
    ['a file that throws when imported', fixture('plugin-that-throws-on-import.mjs')],
  ])('stops start-up with an error naming it: %s', async (_case, specifier) => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-plugins-'));
    starting = new ConveyorProcess('start', { DATA_DIR: dataDir, PORT: String(await freePort()), CONVEYOR_PLUGINS: `${netpbmPlugin},${specifier}` });
    const exitCode = await starting.exited;
    expect(exitCode, starting.log).not.toBe(0);
    expect(exitCode, starting.log).not.toBeNull();
    expect(starting.log).toContain(`plugin ${specifier} failed to load`);
    expect(starting.log).not.toContain('Conveyor is running');
    // Plugins load before anything is opened: a failed start leaves no database or blob folder behind.
    expect(await readdir(dataDir)).toEqual([]);
  });
});
