import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedDownloadLinks } from '../../src/download/signed-download-links.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { recognisablePng, storeFile } from './stored-file.js';

describe('signed download links (?dl=)', () => {
  let harness: ApiHarness;
  let owner: { authorization: string; orgId: string };
  let fileId: string;
  let otherFileId: string;
  const content = recognisablePng(600);

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
    fileId = (await storeFile(harness, owner.authorization, 'linked.png', content)).id;
    otherFileId = (await storeFile(harness, owner.authorization, 'other.png', recognisablePng(300))).id;
  });
  afterAll(() => harness.close());

  const makeLink = async (id: string, body: Record<string, unknown> = {}) => {
    const response = await harness.app.inject({ method: 'POST', url: `/api/files/${owner.orgId}/${id}/download-link`, headers: { authorization: owner.authorization }, payload: body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ url: string; expires_at: string }>();
  };
  const follow = (url: string, headers: Record<string, string> = {}) => harness.app.inject({ method: 'GET', url, headers });
  const tokenOf = (url: string) => new URL(url, 'http://api.test').searchParams.get('dl')!;

  it('makes a link that downloads the file without any auth header, ranges included', async () => {
    const link = await makeLink(fileId);
    expect(link.url).toMatch(new RegExp(`^/api/files/${owner.orgId}/${fileId}/download\\?dl=`));
    const whole = await follow(link.url);
    expect(whole.statusCode, whole.body).toBe(200);
    expect(whole.rawPayload.equals(content)).toBe(true);
    const part = await follow(link.url, { range: 'bytes=0-15' });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(content.subarray(0, 16))).toBe(true);
  });

  it('expires after an hour by default, or when asked, never later than a week', async () => {
    const before = Date.now();
    const byDefault = await makeLink(fileId);
    expect(Date.parse(byDefault.expires_at) - before).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(Date.parse(byDefault.expires_at) - before).toBeLessThanOrEqual(3600_000 + 1000);
    const short = await makeLink(fileId, { expires_in: 60 });
    expect(Date.parse(short.expires_at) - before).toBeLessThanOrEqual(61_000);
    const tooLong = await harness.app.inject({
      method: 'POST', url: `/api/files/${owner.orgId}/${fileId}/download-link`, headers: { authorization: owner.authorization }, payload: { expires_in: 8 * 24 * 3600 },
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('refuses with 401 a link followed to another file of the same org', async () => {
    const link = await makeLink(fileId);
    const response = await follow(`/api/files/${owner.orgId}/${otherFileId}/download?dl=${tokenOf(link.url)}`);
    expect(response.statusCode).toBe(401);
    expect(response.rawPayload.includes(Buffer.from(recognisablePng(300).subarray(16, 64)))).toBe(false);
  });

  it('refuses with 401 a link followed under another org', async () => {
    const stranger = await harness.session();
    const link = await makeLink(fileId);
    const response = await follow(`/api/files/${stranger.orgId}/${fileId}/download?dl=${tokenOf(link.url)}`);
    expect(response.statusCode).toBe(401);
  });

  it('refuses with 401 an expired link', async () => {
    const links = SignedDownloadLinks.fromSessions(harness.deps.sessions, harness.deps.clock);
    const expired = links.sign(owner.orgId, fileId, new Date(Date.now() - 1000));
    const response = await follow(`/api/files/${owner.orgId}/${fileId}/download?dl=${expired}`);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses with 401 a link whose claims were altered, or signed with another secret', async () => {
    const token = tokenOf((await makeLink(fileId)).url);
    const [claims, signature] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), file: otherFileId })).toString('base64url');
    expect((await follow(`/api/files/${owner.orgId}/${otherFileId}/download?dl=${altered}.${signature}`)).statusCode).toBe(401);

    const foreign = new SignedDownloadLinks(Buffer.alloc(32, 1), harness.deps.clock).sign(owner.orgId, fileId, new Date(Date.now() + 60_000));
    expect((await follow(`/api/files/${owner.orgId}/${fileId}/download?dl=${foreign}`)).statusCode).toBe(401);
  });

  it('does not let a download link stand in for credentials on any other route', async () => {
    const token = tokenOf((await makeLink(fileId)).url);
    const response = await follow(`/api/files/${owner.orgId}/${fileId}?dl=${token}`);
    expect(response.statusCode).toBe(401);
    const listed = await follow(`/api/files?dl=${token}`);
    expect(listed.statusCode).toBe(401);
  });

  it('still needs credentials on the download route without a link', async () => {
    expect((await follow(`/api/files/${owner.orgId}/${fileId}/download`)).statusCode).toBe(401);
  });
});
