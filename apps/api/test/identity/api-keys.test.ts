import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

interface CreatedKey {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  key: string;
}

describe('API keys', () => {
  let harness: ApiHarness;
  let owner: { orgId: string; authorization: string };

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.session();
  });
  afterAll(() => harness.close());

  const createKey = (authorization: string, body: unknown) =>
    harness.app.inject({ method: 'POST', url: '/api/api-keys', headers: { authorization }, payload: body as object });
  const listKeys = (authorization: string, query = '') => harness.app.inject({ method: 'GET', url: `/api/api-keys${query}`, headers: { authorization } });
  const whoAmI = (headers: Record<string, string>) => harness.app.inject({ method: 'GET', url: '/api/auth/me', headers });

  it('authenticates an anonymous session by its bearer token as the owner of its org', async () => {
    const response = await whoAmI({ authorization: owner.authorization });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      org_id: owner.orgId,
      user_id: `anonymous:${owner.orgId}`,
      role: 'owner',
      kind: 'anonymous',
      scopes: ['convert:write', 'files:read', 'files:write', 'admin'],
      plan: 'free',
    });
  });

  it('refuses a forged bearer token with 401', async () => {
    const response = await whoAmI({ authorization: `Bearer ${owner.orgId}.forged` });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('shows a new key once, then authenticates with it, lists it without the secret, and refuses it once revoked', async () => {
    const created = await createKey(owner.authorization, { name: 'ci', scopes: ['files:read', 'convert:write'] });
    expect(created.statusCode).toBe(201);
    const key = created.json<CreatedKey>();
    expect(key).toEqual({
      id: expect.any(String),
      name: 'ci',
      scopes: ['files:read', 'convert:write'],
      prefix: key.key.slice(0, 12),
      created_at: expect.any(String),
      last_used_at: null,
      key: expect.stringMatching(/^cvk_[A-Za-z0-9_-]{43}$/),
    });

    // Only the hash is kept: not in the row, not in the (audited) commands.
    const stored = await harness.deps.readModels.resource(owner.orgId, 'api-key', key.id);
    expect(stored?.data.key_hash).toBe(createHash('sha256').update(key.key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(key.key);
    expect(JSON.stringify(await harness.commands())).not.toContain(key.key);

    const before = await listKeys(owner.authorization);
    expect(before.json().items).toEqual([{ id: key.id, name: 'ci', scopes: ['files:read', 'convert:write'], prefix: key.prefix, created_at: key.created_at, last_used_at: null }]);

    const usedAt = Date.now();
    const me = await whoAmI({ 'x-api-key': key.key });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      org_id: owner.orgId,
      user_id: `anonymous:${owner.orgId}`,
      role: 'owner',
      kind: 'api_key',
      scopes: ['convert:write', 'files:read'],
      api_key_id: key.id,
      plan: 'free',
    });

    const after = await listKeys(owner.authorization);
    const listed = after.json().items[0];
    expect(Object.keys(listed).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'prefix', 'scopes']);
    expect(Date.parse(listed.last_used_at)).toBeGreaterThanOrEqual(usedAt - 1000);
    expect(after.body).not.toContain(key.key);

    const revoked = await harness.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: { authorization: owner.authorization } });
    expect(revoked.statusCode).toBe(204);
    const refused = await whoAmI({ 'x-api-key': key.key });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthorized');
    expect((await listKeys(owner.authorization)).json().items).toEqual([]);
    const again = await harness.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: { authorization: owner.authorization } });
    expect(again.statusCode).toBe(404);
  });

  it('refuses an unknown API key with 401 even beside a valid bearer token', async () => {
    const response = await whoAmI({ 'x-api-key': 'cvk_not-a-key', authorization: owner.authorization });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('answers 403 forbidden when a key lacks the route’s scope, before reading the upload', async () => {
    const { authorization } = await harness.session();
    const key = (await createKey(authorization, { name: 'reader', scopes: ['files:read'] })).json<CreatedKey>().key;
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'a.png', content: pngBytes(), contentType: 'image/png' },
    ]);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, 'x-api-key': key }, payload: form.payload });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    expect(await harness.storedBlobs()).toEqual([]);
    // Nor may it manage keys, which needs admin.
    const listing = await harness.app.inject({ method: 'GET', url: '/api/api-keys', headers: { 'x-api-key': key } });
    expect(listing.statusCode).toBe(403);
  });

  it('lets a key convert when it has convert:write', async () => {
    const { authorization } = await harness.session();
    const key = (await createKey(authorization, { name: 'converter', scopes: ['convert:write'] })).json<CreatedKey>().key;
    const form = multipartForm([
      { name: 'target_format', value: 'webp' },
      { name: 'file', fileName: 'a.png', content: pngBytes(), contentType: 'image/png' },
    ]);
    const response = await harness.app.inject({ method: 'POST', url: '/api/convert', headers: { ...form.headers, 'x-api-key': key }, payload: form.payload });
    expect(response.statusCode).toBe(202);
  });

  it('refuses with 403 a key with scopes its creator lacks', async () => {
    const { authorization } = await harness.session();
    const limited = (await createKey(authorization, { name: 'admin-only', scopes: ['admin'] })).json<CreatedKey>().key;
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: { 'x-api-key': limited },
      payload: { name: 'wider', scopes: ['admin', 'files:write'] },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toEqual({ code: 'forbidden', message: expect.stringContaining('files:write') });
    const narrower = await harness.app.inject({ method: 'POST', url: '/api/api-keys', headers: { 'x-api-key': limited }, payload: { name: 'same', scopes: ['admin'] } });
    expect(narrower.statusCode).toBe(201);
  });

  it('answers 404, not 403, to revoking another org’s key, which keeps working', async () => {
    const { authorization } = await harness.session();
    const key = (await createKey(authorization, { name: 'theirs', scopes: ['files:read'] })).json<CreatedKey>();
    const response = await harness.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: { authorization: owner.authorization } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
    expect((await whoAmI({ 'x-api-key': key.key })).statusCode).toBe(200);
  });

  it('lists the org’s keys newest first, a page at a time', async () => {
    const { authorization } = await harness.session();
    for (const name of ['first', 'second', 'third']) expect((await createKey(authorization, { name, scopes: ['files:read'] })).statusCode).toBe(201);
    const firstPage = (await listKeys(authorization, '?limit=2')).json();
    expect(firstPage.items.map((item: { name: string }) => item.name)).toEqual(['third', 'second']);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const secondPage = (await listKeys(authorization, `?limit=2&cursor=${firstPage.next_cursor}`)).json();
    expect(secondPage).toEqual({ items: [expect.objectContaining({ name: 'first' })], next_cursor: null });
  });

  it('answers 400 invalid_parameter to a malformed request', async () => {
    const cases = [
      () => createKey(owner.authorization, { name: 'x', scopes: ['root'] }),
      () => createKey(owner.authorization, { name: '', scopes: ['files:read'] }),
      () => createKey(owner.authorization, { name: 'x', scopes: [] }),
      () => listKeys(owner.authorization, '?limit=0'),
      () => listKeys(owner.authorization, '?limit=101'),
      () => listKeys(owner.authorization, '?cursor=not-a-cursor'),
    ];
    for (const request of cases) {
      const response = await request();
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
  });
});
