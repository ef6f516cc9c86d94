import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

interface AuditItem {
  id: string;
  sequence: number;
  type: string;
  aggregate: string;
  aggregate_id: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

interface AuditPage {
  items: AuditItem[];
  next_cursor: string | null;
}

describe('GET /api/audit', () => {
  let harness: ApiHarness;
  let owner: { authorization: string; orgId: string };
  let stranger: { authorization: string; orgId: string };
  /** The owner's events, newest first, as one unfiltered page shows them. */
  let everything: AuditItem[];

  const audit = (authorization: string, query = '') => harness.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: { authorization } });
  const page = async (authorization: string, query = ''): Promise<AuditPage> => {
    const answer = await audit(authorization, query);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<AuditPage>();
  };

  async function convert(authorization: string, name: string): Promise<string> {
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: name, content: pngBytes(300), contentType: 'image/png' },
    ]);
    const answer = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, authorization }, payload: form.payload });
    expect(answer.statusCode).toBe(202);
    return answer.json<{ id: string }>().id;
  }

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
    stranger = await harness.session();
    for (const name of ['a.png', 'b.png', 'c.png']) await convert(owner.authorization, name);
    await convert(stranger.authorization, 'theirs.png');
    // Every convert records FileUploaded then ConversionRequested: wait until the audit projection shows them all.
    await vi.waitFor(async () => expect((await page(owner.authorization)).items).toHaveLength(6), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await page(stranger.authorization)).items).toHaveLength(2), { timeout: 10_000 });
    everything = (await page(owner.authorization)).items;
  });
  afterAll(() => harness.close());

  it("lists the org's events newest first, each with its sequence, type, aggregate, time and data", async () => {
    const sequences = everything.map((item) => item.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(new Set(sequences).size).toBe(6);
    expect(everything.map((item) => item.type)).toEqual(['ConversionRequested', 'FileUploaded', 'ConversionRequested', 'FileUploaded', 'ConversionRequested', 'FileUploaded']);
    const uploaded = everything.find((item) => item.type === 'FileUploaded')!;
    expect(uploaded).toMatchObject({ aggregate: 'file', aggregate_id: expect.any(String), id: expect.any(String), occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(uploaded.data).toMatchObject({ name: 'c.png', format: 'png', size: 300 });
  });

  it('pages through with an opaque cursor, ending with next_cursor null', async () => {
    const seen: AuditItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const current: AuditPage = await page(owner.authorization, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...current.items);
      cursor = current.next_cursor;
      if (cursor !== null) expect(cursor).not.toMatch(/^\d+$/);
      pages++;
    } while (cursor !== null && pages < 10);

    expect(pages).toBe(2);
    expect(seen).toEqual(everything);
  });

  it('answers 50 events a page unless asked otherwise, and at most 100', async () => {
    expect((await page(owner.authorization)).next_cursor).toBeNull();
    expect((await audit(owner.authorization, '?limit=0')).statusCode).toBe(400);
    expect((await audit(owner.authorization, '?limit=101')).json()).toMatchObject({ error: { code: 'invalid_parameter' } });
    expect((await page(owner.authorization, '?limit=100')).items).toHaveLength(6);
  });

  it('filters by event type, one or several comma-separated', async () => {
    const uploads = await page(owner.authorization, '?type=FileUploaded');
    expect(uploads.items.map((item) => item.sequence)).toEqual(everything.filter((item) => item.type === 'FileUploaded').map((item) => item.sequence));
    const both = await page(owner.authorization, '?type=FileUploaded,%20ConversionRequested');
    expect(both.items).toEqual(everything);
    expect((await page(owner.authorization, '?type=FileDeleted')).items).toEqual([]);
  });

  it('filters by time, both bounds inclusive', async () => {
    const pivot = everything[2]!.occurred_at;

    const since = await page(owner.authorization, `?since=${encodeURIComponent(pivot)}`);
    const until = await page(owner.authorization, `?until=${encodeURIComponent(pivot)}`);
    const at = await page(owner.authorization, `?since=${encodeURIComponent(pivot)}&until=${encodeURIComponent(pivot)}`);

    expect(since.items).toEqual(everything.filter((item) => item.occurred_at >= pivot));
    expect(until.items).toEqual(everything.filter((item) => item.occurred_at <= pivot));
    expect(at.items).toEqual(everything.filter((item) => item.occurred_at === pivot));
    expect(at.items.length).toBeGreaterThanOrEqual(1);
    expect(since.items.length + until.items.length).toBe(everything.length + at.items.length);
  });

  it("never shows another org's events", async () => {
    const theirs = (await page(stranger.authorization)).items;
    const ownIds = new Set(everything.map((item) => item.id));
    expect(theirs).toHaveLength(2);
    expect(theirs.some((item) => ownIds.has(item.id))).toBe(false);
    expect(theirs.find((item) => item.type === 'FileUploaded')!.data).toMatchObject({ name: 'theirs.png' });
    expect(everything.some((item) => item.data.name === 'theirs.png')).toBe(false);
  });

  it.each([
    ['a cursor it did not issue', '?cursor=not-a-cursor'],
    ['a cursor that is a plain number', '?cursor=12'],
    ['a time that is not ISO 8601', '?since=yesterday'],
    ['an until that is not a time', '?until=2026-13-45T99:00:00Z'],
    ['since after until', '?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z'],
  ])('answers 400 invalid_parameter to %s', async (_case, query) => {
    const answer = await audit(owner.authorization, query);
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: { code: 'invalid_parameter' } });
  });

  it('requires the admin scope and is documented in /openapi.json with its query parameters', async () => {
    expect(harness.routes.find((route) => route.url === '/api/audit' && route.method === 'GET')?.config).toMatchObject({ scope: 'admin' });
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/api/audit'].get;
    expect(operation).toMatchObject({ tags: ['audit'], summary: expect.any(String) });
    expect(operation.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`).sort()).toEqual(
      ['query:cursor', 'query:limit', 'query:since', 'query:type', 'query:until'],
    );
  });
});
