import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { ConveyorProcess, freePort, waitForHealthy } from './support/conveyor-process.js';
import { convertPngToWebp, convertUndecodablePng } from './support/png-to-webp-scenario.js';

describe('embedded deployment (npm start defaults: PGlite, SQL event log, local disk)', () => {
  let dataDir: string;
  let port: number;
  let server: ConveyorProcess;
  const client = () => new ApiClient(`http://127.0.0.1:${port}`);

  const start = async () => {
    server = new ConveyorProcess('start', { DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealthy(`http://127.0.0.1:${port}`, server);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-'));
    port = await freePort();
    await start();
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('converts a PNG to WebP over HTTP, keeps everything across a restart, and replays to the same rows', async () => {
    const api = client();
    await api.startSession();
    const { job, file } = await convertPngToWebp(api);
    const failed = await convertUndecodablePng(api);

    expect(await server.stop()).toBe(0);
    const migrate = new ConveyorProcess('migrate', { DATA_DIR: dataDir });
    expect(await migrate.exited, migrate.log).toBe(0);
    expect(migrate.log).toContain('up to date');
    const replay = new ConveyorProcess('replay', { DATA_DIR: dataDir });
    expect(await replay.exited, replay.log).toBe(0);
    expect(replay.log).toMatch(/replayed \d+ events/);
    await start();

    expect((await api.get(`/api/conversion-jobs/${api.orgId}/${job.id as string}`)).body).toEqual(job);
    expect((await api.get(`/api/conversion-jobs/${api.orgId}/${failed.id as string}`)).body).toEqual(failed);
    expect((await api.get(`/api/files/${api.orgId}/${file.id as string}`)).body).toEqual(file);
    const download = await api.download(api.orgId, file.id as string);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(file.size);
  });

  it('hides another session’s job and file behind 404', async () => {
    const owner = client();
    await owner.startSession();
    const { job, file } = await convertPngToWebp(owner);
    const stranger = client();
    await stranger.startSession();
    expect((await stranger.get(`/api/conversion-jobs/${owner.orgId}/${job.id as string}`)).status).toBe(404);
    expect((await stranger.get(`/api/files/${owner.orgId}/${file.id as string}`)).status).toBe(404);
    expect((await stranger.download(owner.orgId, file.id as string)).status).toBe(404);
  });
});
