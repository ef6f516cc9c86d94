import { createHash } from 'node:crypto';
import type { CommandEnvelope } from '@conveyor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { pngBytes } from '../support/multipart.js';

const maxUploadBytes = 64 * 1024;

describe('the upload pipeline: init, PUT the bytes, or abort', () => {
  let harness: ApiHarness;
  let caller: { authorization: string; orgId: string };
  beforeAll(async () => {
    harness = await startApiHarness({ maxUploadBytes });
    caller = await harness.session();
  });
  afterAll(() => harness.close());

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, options: { payload?: object | Buffer | string; headers?: Record<string, string>; as?: typeof caller } = {}) =>
    harness.app.inject({ method, url, headers: { authorization: (options.as ?? caller).authorization, ...options.headers }, ...(options.payload === undefined ? {} : { payload: options.payload }) });

  async function init(body: object = { name: 'photo.png' }, as = caller): Promise<{ file_id: string; method: string; upload_url: string }> {
    const response = await inject('POST', '/api/uploads/init', { payload: body, as });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  const put = (url: string, content: Buffer, contentType = 'application/octet-stream', as = caller) =>
    inject('PUT', url, { payload: content, headers: { 'content-type': contentType }, as });

  const fileOf = (fileId: string, as = caller) => inject('GET', `/api/files/${as.orgId}/${fileId}`, { as });
  const commandsOf = async (type: string, fileId: string): Promise<CommandEnvelope[]> =>
    (await harness.commands()).filter((command) => command.type === type && command.aggregate_id === fileId);

  it('answers where to PUT the bytes: a URL on this API that ends in /data', async () => {
    const started = await init({ name: 'photo.png', size: 2000, content_type: 'image/png' });
    expect(started).toEqual({ file_id: expect.any(String), method: 'PUT', upload_url: `/api/uploads/${started.file_id}/data` });
    const [initiated] = await commandsOf('InitiateUpload', started.file_id);
    expect(initiated?.data).toMatchObject({ name: 'photo.png', declared_size: 2000, content_type: 'image/png' });
  });

  it('gives an anonymous session’s upload the expiry its files have', async () => {
    const started = await init();
    const [initiated] = await commandsOf('InitiateUpload', started.file_id);
    const expiresAt = Date.parse((initiated?.data as { expires_at: string }).expires_at);
    const ttlMs = harness.deps.config.identity.anonTtlSeconds * 1000;
    expect(expiresAt).toBeGreaterThan(Date.now() + ttlMs - 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + ttlMs);
  });

  it('refuses at once, with 413, a declared size over the plan’s upload limit', async () => {
    const response = await inject('POST', '/api/uploads/init', { payload: { name: 'huge.png', size: maxUploadBytes + 1 } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'file_too_large' } });
  });

  it('refuses a name with nothing usable in it, a body without a name, and a negative size', async () => {
    for (const payload of [{ name: '../..' }, { size: 10 }, { name: 'a.png', size: -1 }]) {
      const response = await inject('POST', '/api/uploads/init', { payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('keeps a pending upload out of reads, listings, downloads and usage', async () => {
    const { file_id } = await init({ name: 'pending.png' });
    expect((await fileOf(file_id)).statusCode).toBe(404);
    expect((await inject('GET', `/api/files/${caller.orgId}/${file_id}/download`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/files/${caller.orgId}/${file_id}/conversions`)).statusCode).toBe(404);
    expect((await inject('GET', '/api/files')).body).not.toContain(file_id);
  });

  it('stores the PUT bytes and answers the ready file, with their size, hash and format', async () => {
    const { upload_url, file_id } = await init({ name: '../../holiday/beach.png' });
    const content = pngBytes(5000);
    const response = await put(upload_url, content);
    expect(response.statusCode, response.body).toBe(200);
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(response.json()).toMatchObject({ id: file_id, org_id: caller.orgId, name: 'beach.png', format: 'png', mime: 'image/png', size: 5000, sha256, status: 'ready' });
    expect((await fileOf(file_id)).json()).toMatchObject({ status: 'ready', sha256 });
    const download = await inject('GET', `/api/files/${caller.orgId}/${file_id}/download`);
    expect(download.rawPayload.equals(content)).toBe(true);
    const [registered] = await commandsOf('RegisterUpload', file_id);
    expect(registered?.data).toMatchObject({ size: 5000, sha256, source: { kind: 'upload' } });
  });

  it('streams a body of any content type as the file itself, never parsing it', async () => {
    const { upload_url } = await init({ name: 'sent-as-json.png' });
    const response = await put(upload_url, pngBytes(3000), 'application/json');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ size: 3000, format: 'png' });
  });

  it('refuses a second PUT to a completed upload with 409, keeping the first bytes', async () => {
    const { upload_url, file_id } = await init();
    const first = await put(upload_url, pngBytes(1000));
    expect(first.statusCode).toBe(200);
    const second = await put(upload_url, pngBytes(2000));
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await fileOf(file_id)).json()).toMatchObject({ size: 1000 });
  });

  it('refuses a PUT to a file that was never a pending upload with 409', async () => {
    const { upload_url } = await init();
    const uploaded = await put(upload_url, pngBytes(1000));
    const form = await inject('PUT', `/api/uploads/${uploaded.json<{ id: string }>().id}/data`, { payload: pngBytes(1000), headers: { 'content-type': 'image/png' } });
    expect(form.statusCode).toBe(409);
  });

  it('answers 404 for an unknown file id and for another org’s upload', async () => {
    expect((await put('/api/uploads/no-such-file/data', pngBytes(100))).statusCode).toBe(404);
    const other = await harness.session();
    const theirs = await init({ name: 'theirs.png' }, other);
    const response = await put(theirs.upload_url, pngBytes(100));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await inject('POST', `/api/uploads/${theirs.file_id}/abort`)).statusCode).toBe(404);
    // Still theirs to complete.
    expect((await put(theirs.upload_url, pngBytes(100), 'application/octet-stream', other)).statusCode).toBe(200);
  });

  it('answers 413 for bytes over the limit, storing nothing and leaving the upload pending for a retry', async () => {
    const { upload_url, file_id } = await init();
    const blobsBefore = await harness.storedBlobs();
    const response = await put(upload_url, pngBytes(maxUploadBytes + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'file_too_large' } });
    expect(await harness.storedBlobs()).toEqual(blobsBefore);
    expect((await fileOf(file_id)).statusCode).toBe(404);
    expect((await put(upload_url, pngBytes(1000))).statusCode).toBe(200);
  });

  it('refuses bytes that are empty or not a format it knows, keeping none of them', async () => {
    const { upload_url } = await init({ name: 'notes.png' });
    const blobsBefore = await harness.storedBlobs();
    expect((await put(upload_url, Buffer.alloc(0))).statusCode).toBe(400);
    expect((await put(upload_url, Buffer.from('plain text, not a png'))).statusCode).toBe(400);
    expect(await harness.storedBlobs()).toEqual(blobsBefore);
  });

  it('aborts a pending upload: the file is gone and its URL answers 404', async () => {
    const { upload_url, file_id } = await init();
    const aborted = await inject('POST', `/api/uploads/${file_id}/abort`);
    expect(aborted.statusCode, aborted.body).toBe(204);
    expect((await put(upload_url, pngBytes(100))).statusCode).toBe(404);
    expect((await inject('POST', `/api/uploads/${file_id}/abort`)).statusCode).toBe(404);
    expect(await commandsOf('RegisterUpload', file_id)).toEqual([]);
  });

  it('refuses to abort a completed upload with 409', async () => {
    const { upload_url, file_id } = await init();
    await put(upload_url, pngBytes(100));
    const response = await inject('POST', `/api/uploads/${file_id}/abort`);
    expect(response.statusCode).toBe(409);
    expect((await fileOf(file_id)).statusCode).toBe(200);
  });
});

describe('the upload pipeline and the plan', () => {
  let harness: ApiHarness;
  afterAll(() => harness?.close());

  it('refuses to start an upload once the storage quota is used up', async () => {
    harness = await startApiHarness({ env: { PLAN_LIMITS: '{"free":{"storage_quota_bytes":1500}}' } });
    const { authorization } = await harness.session();
    const init = () => harness.app.inject({ method: 'POST', url: '/api/uploads/init', headers: { authorization }, payload: { name: 'a.png' } });
    const first = (await init()).json<{ upload_url: string }>();
    const stored = await harness.app.inject({ method: 'PUT', url: first.upload_url, headers: { authorization, 'content-type': 'image/png' }, payload: pngBytes(2000) });
    expect(stored.statusCode).toBe(200);
    const refused = await init();
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'plan_required' } });
  });
});
