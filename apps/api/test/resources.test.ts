import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { multipartForm, pngBytes } from './support/multipart.js';

describe('reading jobs and files', () => {
  let harness: ApiHarness;
  let owner: { orgId: string; authorization: string };
  let stranger: { orgId: string; authorization: string };
  let job: { id: string; file_id: string };
  const content = pngBytes(3000);

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
    stranger = await harness.session();
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: '../evil "name"\u00e9.png', content, contentType: 'image/png' },
    ]);
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/convert',
      headers: { ...form.headers, authorization: owner.authorization },
      payload: form.payload,
    });
    expect(response.statusCode).toBe(202);
    job = response.json();
    // The file row comes from the projector; wait until it is there.
    for (let tries = 0; tries < 100 && !(await harness.deps.readModels.file(owner.orgId, job.file_id)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(() => harness.close());

  const get = (url: string, authorization: string) => harness.app.inject({ method: 'GET', url, headers: { authorization } });

  it('returns the caller’s own conversion job', async () => {
    const response = await get(`/api/conversion-jobs/${owner.orgId}/${job.id}`, owner.authorization);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: job.id, org_id: owner.orgId, file_id: job.file_id, target_format: 'webp' });
  });

  it('answers 404 for another org’s job, whichever org the path names', async () => {
    for (const url of [`/api/conversion-jobs/${owner.orgId}/${job.id}`, `/api/conversion-jobs/${stranger.orgId}/${job.id}`]) {
      const response = await get(url, stranger.authorization);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('answers 404 for an unknown job', async () => {
    const response = await get(`/api/conversion-jobs/${owner.orgId}/unknownjob`, owner.authorization);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('returns the file view with a sanitised name', async () => {
    const response = await get(`/api/files/${owner.orgId}/${job.file_id}`, owner.authorization);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: job.file_id, org_id: owner.orgId, name: 'evil "name"\u00e9.png', format: 'png', mime: 'image/png', size: content.length });
  });

  it('answers 404 for another org’s file and its download', async () => {
    for (const suffix of ['', '/download']) {
      const response = await get(`/api/files/${owner.orgId}/${job.file_id}${suffix}`, stranger.authorization);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('streams the download with safe headers', async () => {
    const response = await get(`/api/files/${owner.orgId}/${job.file_id}/download`, owner.authorization);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-length']).toBe(String(content.length));
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="evil _name__.png"; filename*=UTF-8''evil%20%22name%22%C3%A9.png`);
    expect(response.rawPayload.equals(content)).toBe(true);
  });
});
