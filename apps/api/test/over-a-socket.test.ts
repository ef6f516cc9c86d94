import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { pngBytes } from './support/multipart.js';

/** The same uploads as a real client sends them (fetch + FormData), over a listening socket. */
describe('uploads over a real HTTP connection', () => {
  const maxUploadBytes = 64 * 1024;
  let harness: ApiHarness;
  let baseUrl: string;
  let authorization: string;
  beforeAll(async () => {
    harness = await startApiHarness({ maxUploadBytes });
    baseUrl = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    ({ authorization } = await harness.session());
  });
  afterAll(() => harness.close());

  function convert(content: Buffer, name: string) {
    const form = new FormData();
    form.set('target_format', 'webp');
    form.set('file', new Blob([content]), name);
    return fetch(`${baseUrl}/api/convert`, { method: 'POST', headers: { authorization }, body: form });
  }

  it('accepts a valid upload with 202', async () => {
    const response = await convert(pngBytes(10_000), 'photo.png');
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'queued', target_format: 'webp' });
  });

  it('answers 413 promptly for an upload far over the limit, keeping nothing', async () => {
    const blobsBefore = await harness.storedBlobs();
    const response = await convert(pngBytes(maxUploadBytes * 64), 'huge.png');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'file_too_large' } });
    expect(await harness.storedBlobs()).toEqual(blobsBefore);
  });
});

describe('a long poll over a real HTTP connection', () => {
  let harness: ApiHarness;
  let baseUrl: string;
  beforeAll(async () => {
    harness = await startApiHarness();
    baseUrl = await harness.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => harness.close());

  it('stops reading for a caller that hung up', async () => {
    const { authorization, orgId } = await harness.session();
    const form = new FormData();
    form.set('target_format', 'webp');
    form.set('file', new Blob([pngBytes(2_000)]), 'photo.png');
    const job = await (await fetch(`${baseUrl}/api/convert`, { method: 'POST', headers: { authorization }, body: form })).json();

    const readModels = harness.deps.readModels;
    const readJob = readModels.conversionJob.bind(readModels);
    let reads = 0;
    readModels.conversionJob = (...args) => {
      reads++;
      return readJob(...args);
    };
    const hangUp = new AbortController();
    const polling = fetch(`${baseUrl}/api/conversion-jobs/${orgId}/${job.id}?wait=30`, { headers: { authorization }, signal: hangUp.signal });
    await vi.waitFor(() => expect(reads).toBeGreaterThan(0));
    hangUp.abort();
    await expect(polling).rejects.toThrow();
    // Rechecked every second while someone waits: after two, a wait still running would have read again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const readsAfterHangUp = reads;
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(reads).toBe(readsAfterHangUp);
  });
});
