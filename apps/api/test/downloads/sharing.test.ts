import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { recognisablePng, storeFile } from './stored-file.js';

interface ShareAnswer {
  visibility: string;
  share_url: string | null;
  expires_at: string | null;
}

describe('sharing a file: POST …/share and GET /api/s/{token}', () => {
  let harness: ApiHarness;
  let owner: { authorization: string; orgId: string };
  const content = recognisablePng(700);

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
  });
  afterAll(() => harness.close());

  const newFile = async () => (await storeFile(harness, owner.authorization, 'shared.png', content)).id;
  const share = async (fileId: string, body: Record<string, unknown>) => {
    const response = await harness.app.inject({ method: 'POST', url: `/api/files/${owner.orgId}/${fileId}/share`, headers: { authorization: owner.authorization }, payload: body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ShareAnswer>();
  };
  const fetchShared = (url: string, headers: Record<string, string> = {}) => harness.app.inject({ method: 'GET', url, headers });

  it('a public share returns a link that fetches the file without credentials', async () => {
    const fileId = await newFile();
    const answer = await share(fileId, { visibility: 'public' });
    expect(answer).toMatchObject({ visibility: 'public', expires_at: null });
    expect(answer.share_url).toMatch(/^\/api\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const response = await fetchShared(answer.share_url!);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.rawPayload.equals(content)).toBe(true);
    expect(response.headers['content-disposition']).toContain('filename="shared.png"');
  });

  it('serves ranges and entity tags through the share link as through the download route', async () => {
    const fileId = await newFile();
    const { share_url: url } = await share(fileId, { visibility: 'public' });
    const part = await fetchShared(url!, { range: 'bytes=-7' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 693-699/700');
    expect(part.rawPayload.equals(content.subarray(693))).toBe(true);
    const cached = await fetchShared(url!, { 'if-none-match': part.headers.etag as string });
    expect(cached.statusCode).toBe(304);
  });

  it('setting private revokes the link: it answers 404', async () => {
    const fileId = await newFile();
    const { share_url: url } = await share(fileId, { visibility: 'public' });
    expect((await fetchShared(url!)).statusCode).toBe(200);
    const revoked = await share(fileId, { visibility: 'private' });
    expect(revoked).toEqual({ visibility: 'private', share_url: null, expires_at: null });
    const response = await fetchShared(url!);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sharing with org revokes the link too, and sharing again makes a new link the old one does not become', async () => {
    const fileId = await newFile();
    const first = (await share(fileId, { visibility: 'public' })).share_url!;
    expect((await share(fileId, { visibility: 'org' })).share_url).toBeNull();
    expect((await fetchShared(first)).statusCode).toBe(404);
    const second = (await share(fileId, { visibility: 'public' })).share_url!;
    expect(second).not.toBe(first);
    expect((await fetchShared(second)).statusCode).toBe(200);
    expect((await fetchShared(first)).statusCode).toBe(404);
  });

  it('a restricted share with expires_in works until it expires, then answers 404', async () => {
    const fileId = await newFile();
    const before = Date.now();
    const answer = await share(fileId, { visibility: 'restricted', expires_in: 60 });
    expect(Date.parse(answer.expires_at!) - before).toBeLessThanOrEqual(61_000);
    expect((await fetchShared(answer.share_url!)).statusCode).toBe(200);

    const realClock = harness.deps.clock;
    harness.deps.clock = { now: () => new Date(Date.now() + 61_000) };
    try {
      expect((await fetchShared(answer.share_url!)).statusCode).toBe(404);
    } finally {
      harness.deps.clock = realClock;
    }
  });

  it('a restricted share without expires_in still expires, after a week', async () => {
    const fileId = await newFile();
    const answer = await share(fileId, { visibility: 'restricted' });
    expect(Date.parse(answer.expires_at!) - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
  });

  it('refuses expires_in for private and org shares, which have no link', async () => {
    const fileId = await newFile();
    const response = await harness.app.inject({
      method: 'POST', url: `/api/files/${owner.orgId}/${fileId}/share`, headers: { authorization: owner.authorization }, payload: { visibility: 'private', expires_in: 60 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_parameter' } });
  });

  it('a forged or mangled token answers 404', async () => {
    const fileId = await newFile();
    const url = (await share(fileId, { visibility: 'public' })).share_url!;
    const mangled = `${url.slice(0, -2)}${url.endsWith('A') ? 'BB' : 'AA'}`;
    expect((await fetchShared(mangled)).statusCode).toBe(404);
    expect((await fetchShared('/api/s/not-a-token')).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('another org cannot share the file: 404', async () => {
    const fileId = await newFile();
    const stranger = await harness.session();
    const response = await harness.app.inject({
      method: 'POST', url: `/api/files/${stranger.orgId}/${fileId}/share`, headers: { authorization: stranger.authorization }, payload: { visibility: 'public' },
    });
    expect(response.statusCode).toBe(404);
  });
});
