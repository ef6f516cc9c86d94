import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';
import { anonymousOwner, call, type Caller } from './resource-client.js';

describe('another org’s records', () => {
  let harness: ApiHarness;
  let owner: Caller;
  let stranger: Caller;
  /** One record of the owner's per resource, by base path. */
  const records = new Map<string, string>();

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await anonymousOwner(harness);
    stranger = await anonymousOwner(harness);
    const form = multipartForm([{ name: 'file', fileName: 'mine.png', content: pngBytes(), contentType: 'image/png' }]);
    const file = await harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...owner.headers, ...form.headers }, payload: form.payload });
    records.set('/api/files', file.json().id);
    const job = await call(harness, owner, 'POST', '/api/conversion-jobs', { file_id: file.json().id, target_format: 'webp' });
    records.set('/api/conversion-jobs', job.json().id);
    const creates: Array<[string, unknown]> = [
      ['/api/settings', { key: 'secret', value: 'x' }],
      ['/api/feature-flags', { key: 'secret', enabled: true }],
      ['/api/users', { email: 'secret@example.test', name: 'Secret', role: 'member' }],
    ];
    for (const [path, body] of creates) records.set(path, (await call(harness, owner, 'POST', path, body)).json().id);
  });
  afterAll(() => harness.close());

  const changes: Record<string, unknown> = {
    '/api/files': { name: 'taken.png' },
    '/api/conversion-jobs': { status: 'cancelled' },
    '/api/settings': { value: 'y' },
    '/api/feature-flags': { enabled: false },
    '/api/users': { role: 'viewer' },
  };

  it('are 404 not_found on fetch, update, delete and actions, whichever org the path names', async () => {
    for (const [path, id] of records) {
      for (const orgId of [owner.orgId, stranger.orgId]) {
        const url = `${path}/${orgId}/${id}`;
        const attempts: Array<[string, Awaited<ReturnType<typeof call>>]> = [
          ['GET', await call(harness, stranger, 'GET', url)],
          ['PATCH', await call(harness, stranger, 'PATCH', url, changes[path])],
          ['DELETE', await call(harness, stranger, 'DELETE', url)],
          ...(path === '/api/conversion-jobs' ? [['POST cancel', await call(harness, stranger, 'POST', `${url}/cancel`)] as [string, Awaited<ReturnType<typeof call>>]] : []),
        ];
        for (const [attempt, response] of attempts) {
          expect(response.statusCode, `${attempt} ${url}`).toBe(404);
          expect(response.json().error.code).toBe('not_found');
        }
      }
    }
  });

  it('answer exactly as an unknown id does', async () => {
    const theirs = await call(harness, stranger, 'GET', `/api/settings/${owner.orgId}/${records.get('/api/settings')}`);
    const unknown = await call(harness, stranger, 'GET', `/api/settings/${stranger.orgId}/${records.get('/api/settings')}`);
    const nobodys = await call(harness, owner, 'GET', `/api/settings/${owner.orgId}/nosuchrecord`);
    expect([theirs.statusCode, unknown.statusCode, nobodys.statusCode]).toEqual([404, 404, 404]);
    expect(theirs.json().error.message).toBe(unknown.json().error.message);
  });

  it('stay untouched, and out of the stranger’s lists', async () => {
    for (const [path, id] of records) {
      const mine = await call(harness, owner, 'GET', `${path}/${owner.orgId}/${id}`);
      expect(mine.statusCode, path).toBe(200);
      expect((await call(harness, stranger, 'GET', path)).json().items, path).toEqual([]);
    }
    expect((await call(harness, owner, 'GET', `/api/conversion-jobs/${owner.orgId}/${records.get('/api/conversion-jobs')}`)).json().status).toBe('queued');
  });
});
