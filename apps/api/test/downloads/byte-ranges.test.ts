import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { recognisablePng, storeFile } from './stored-file.js';

describe('GET /api/files/{org_id}/{id}/download: ranges, entity tags and names', () => {
  let harness: ApiHarness;
  let authorization: string;
  let orgId: string;
  let url: string;
  let sha256: string;
  const content = recognisablePng(1000);

  beforeAll(async () => {
    harness = await startApiHarness();
    const session = await harness.session();
    authorization = session.authorization;
    orgId = session.orgId;
    const file = await storeFile(harness, authorization, 'photo.png', content);
    sha256 = file.sha256;
    url = `/api/files/${orgId}/${file.id}/download`;
  });
  afterAll(() => harness.close());

  const download = (headers: Record<string, string> = {}) => harness.app.inject({ method: 'GET', url, headers: { authorization, ...headers } });

  it('sends every byte with 200 when no range is asked, announcing that ranges are accepted', async () => {
    const response = await download();
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(content)).toBe(true);
    expect(response.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-length': '1000', etag: `"${sha256}"`, 'content-type': 'image/png' });
  });

  it('sends one closed range with 206 and its Content-Range', async () => {
    const response = await download({ range: 'bytes=100-199' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe('bytes 100-199/1000');
    expect(response.headers['content-length']).toBe('100');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.rawPayload.equals(content.subarray(100, 200))).toBe(true);
  });

  it('sends from a position to the end for an open range', async () => {
    const response = await download({ range: 'bytes=990-' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe('bytes 990-999/1000');
    expect(response.rawPayload.equals(content.subarray(990))).toBe(true);
  });

  it('sends the last n bytes for a suffix range, and all of them when n exceeds the size', async () => {
    const suffix = await download({ range: 'bytes=-10' });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.headers['content-range']).toBe('bytes 990-999/1000');
    expect(suffix.rawPayload.equals(content.subarray(990))).toBe(true);

    const beyond = await download({ range: 'bytes=-5000' });
    expect(beyond.headers['content-range']).toBe('bytes 0-999/1000');
    expect(beyond.rawPayload.equals(content)).toBe(true);
  });

  it('clips a range that ends past the last byte', async () => {
    const response = await download({ range: 'bytes=995-5000' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe('bytes 995-999/1000');
    expect(response.rawPayload.length).toBe(5);
  });

  it('answers 416 range_not_satisfiable with the size for a range past the end', async () => {
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const response = await download({ range });
      expect(response.statusCode, range).toBe(416);
      expect(response.headers['content-range']).toBe('bytes */1000');
      expect(response.json()).toMatchObject({ error: { code: 'range_not_satisfiable' } });
    }
  });

  it('ignores several ranges, a malformed range or another unit, and sends the whole file with 200', async () => {
    for (const range of ['bytes=0-9,20-29', 'bytes=9-0', 'bytes=abc', 'items=0-9', 'bytes=-']) {
      const response = await download({ range });
      expect(response.statusCode, range).toBe(200);
      expect(response.headers['content-range'], range).toBeUndefined();
      expect(response.rawPayload.equals(content), range).toBe(true);
    }
  });

  it('answers 304 without a body when If-None-Match names the current content', async () => {
    for (const tag of [`"${sha256}"`, `"other", W/"${sha256}"`, '*']) {
      const response = await download({ 'if-none-match': tag, range: 'bytes=0-9' });
      expect(response.statusCode, tag).toBe(304);
      expect(response.rawPayload.length).toBe(0);
      expect(response.headers.etag).toBe(`"${sha256}"`);
    }
    const stale = await download({ 'if-none-match': `"${'0'.repeat(64)}"` });
    expect(stale.statusCode).toBe(200);
  });

  it('serves a range under If-Range only while the tag still matches', async () => {
    const current = await download({ range: 'bytes=0-9', 'if-range': `"${sha256}"` });
    expect(current.statusCode).toBe(206);
    const stale = await download({ range: 'bytes=0-9', 'if-range': `"${'0'.repeat(64)}"` });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(1000);
  });

  it('names a non-ASCII file exactly in filename* and with an ASCII stand-in in filename', async () => {
    const file = await storeFile(harness, authorization, 'Übersicht 2024 – naïve.png', content);
    const response = await harness.app.inject({ method: 'GET', url: `/api/files/${orgId}/${file.id}/download`, headers: { authorization } });
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_bersicht 2024 _ na_ve.png"; filename*=UTF-8''%C3%9Cbersicht%202024%20%E2%80%93%20na%C3%AFve.png`,
    );
  });
});
