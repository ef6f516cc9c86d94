import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { anonymousOwner, call, type Caller } from './resource-client.js';

describe('lists: newest first, by keyset pages', () => {
  let harness: ApiHarness;
  let owner: Caller;
  let createdIds: string[];

  const createSetting = async (key: string): Promise<string> => {
    const response = await call(harness, owner, 'POST', '/api/settings', { key, value: key });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  };
  const page = async (query: string) => {
    const response = await call(harness, owner, 'GET', `/api/settings${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Array<{ id: string }>; next_cursor: string | null }>();
  };

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await anonymousOwner(harness);
    createdIds = [];
    for (let index = 0; index < 7; index++) createdIds.push(await createSetting(`page-${index}`));
  });
  afterAll(() => harness.close());

  it('pages 7 records 3 at a time as 3 + 3 + 1, newest first, none twice', async () => {
    const first = await page('?limit=3');
    const second = await page(`?limit=3&cursor=${first.next_cursor}`);
    const third = await page(`?limit=3&cursor=${second.next_cursor}`);
    expect([first.items.length, second.items.length, third.items.length]).toEqual([3, 3, 1]);
    expect(third.next_cursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(ids).toEqual([...createdIds].reverse());
  });

  it('keeps later pages as they were when a record is inserted between page fetches', async () => {
    const first = await page('?limit=3');
    const inserted = await createSetting('inserted-meanwhile');
    const second = await page(`?limit=3&cursor=${first.next_cursor}`);
    const third = await page(`?limit=3&cursor=${second.next_cursor}`);
    const ids = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(ids).toEqual([...createdIds].reverse());
    expect(ids).not.toContain(inserted);
    expect((await page('?limit=1')).items[0]!.id).toBe(inserted);
    await call(harness, owner, 'DELETE', `/api/settings/${owner.orgId}/${inserted}`);
  });

  it('answers 50 records at most by default, and the whole list when it is shorter', async () => {
    const all = await page('');
    expect(all.items).toHaveLength(7);
    expect(all.next_cursor).toBeNull();
  });

  it('answers 400 invalid_parameter for a cursor it did not give out', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('["yesterday","x"]').toString('base64url'), '']) {
      const response = await call(harness, owner, 'GET', `/api/settings?cursor=${encodeURIComponent(cursor)}`);
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
  });

  it('answers 400 for a limit outside 1–100', async () => {
    for (const limit of ['0', '101', 'many', '2.5']) {
      const response = await call(harness, owner, 'GET', `/api/settings?limit=${limit}`);
      expect(response.statusCode, limit).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
  });

  it('pages files and conversion jobs with the same contract', async () => {
    for (const path of ['/api/files', '/api/conversion-jobs']) {
      const response = await call(harness, owner, 'GET', `${path}?limit=2`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], next_cursor: null });
      expect((await call(harness, owner, 'GET', `${path}?cursor=bogus`)).statusCode).toBe(400);
    }
  });
});
