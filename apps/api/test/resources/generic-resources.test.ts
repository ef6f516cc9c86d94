import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { anonymousOwner, call, gatewayCaller, gatewayEnv, type Caller } from './resource-client.js';

const resources = [
  {
    path: '/api/settings',
    create: { key: 'default.target', value: { format: 'webp', quality: 80 }, description: 'What uploads convert to' },
    change: { value: ['a', 'b'] },
  },
  {
    path: '/api/feature-flags',
    create: { key: 'bulk-convert', enabled: false, description: 'Several files at once' },
    change: { enabled: true, rollout_pct: 25 },
  },
  {
    path: '/api/users',
    create: { email: 'Ada@Example.test', name: 'Ada Lovelace', role: 'member' },
    change: { role: 'admin' },
  },
] as const;

describe('settings, feature flags and users: the auto-CRUD round trip', () => {
  let harness: ApiHarness;
  let owner: Caller;

  beforeAll(async () => {
    harness = await startApiHarness({ env: gatewayEnv });
    owner = await anonymousOwner(harness);
  });
  afterAll(() => harness.close());

  for (const resource of resources) {
    it(`${resource.path}: create 201 → fetch → patch → list → delete 204 → fetch 404`, async () => {
      const created = await call(harness, owner, 'POST', resource.path, resource.create);
      expect(created.statusCode, created.body).toBe(201);
      const record = created.json();
      expect(record).toMatchObject({ org_id: owner.orgId });
      const recordUrl = `${resource.path}/${owner.orgId}/${record.id}`;

      const fetched = await call(harness, owner, 'GET', recordUrl);
      expect(fetched.statusCode).toBe(200);
      expect(fetched.json()).toEqual(record);

      const patched = await call(harness, owner, 'PATCH', recordUrl, resource.change);
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ ...resource.change, id: record.id, created_at: record.created_at });
      expect(patched.json().updated_at >= record.updated_at).toBe(true);

      const listed = await call(harness, owner, 'GET', resource.path);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items).toContainEqual(patched.json());

      const deleted = await call(harness, owner, 'DELETE', recordUrl);
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      const gone = await call(harness, owner, 'GET', recordUrl);
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('not_found');
    });
  }

  it('answers a create with the record an immediate fetch reads (read-your-writes)', async () => {
    const created = await call(harness, owner, 'POST', '/api/settings', { key: 'ryw', value: 1 });
    const fetched = await call(harness, owner, 'GET', `/api/settings/${owner.orgId}/${created.json().id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(created.json());
    expect(created.json()).toMatchObject({ key: 'ryw', value: 1, org_id: owner.orgId });
  });

  it('answers a patch with the change an immediate fetch reads (read-your-writes)', async () => {
    const { id } = (await call(harness, owner, 'POST', '/api/feature-flags', { key: 'ryw-flag', enabled: false })).json();
    const patched = await call(harness, owner, 'PATCH', `/api/feature-flags/${owner.orgId}/${id}`, { enabled: true });
    const fetched = await call(harness, owner, 'GET', `/api/feature-flags/${owner.orgId}/${id}`);
    expect(patched.json().enabled).toBe(true);
    expect(fetched.json()).toEqual(patched.json());
  });

  it('defaults a new flag to a full rollout and normalises a user’s email', async () => {
    const flag = await call(harness, owner, 'POST', '/api/feature-flags', { key: 'defaults', enabled: true });
    expect(flag.json()).toMatchObject({ rollout_pct: 100 });
    const user = await call(harness, owner, 'POST', '/api/users', { email: 'Grace@Example.TEST', name: '  Grace  ', role: 'viewer' });
    expect(user.json()).toMatchObject({ email: 'grace@example.test', name: 'Grace' });
  });

  it('refuses a second setting with the same key with 409, and a patch onto a taken key', async () => {
    const first = await call(harness, owner, 'POST', '/api/settings', { key: 'unique.key', value: true });
    expect(first.statusCode).toBe(201);
    const again = await call(harness, owner, 'POST', '/api/settings', { key: 'unique.key', value: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    const other = (await call(harness, owner, 'POST', '/api/settings', { key: 'other.key', value: 0 })).json();
    const clash = await call(harness, owner, 'PATCH', `/api/settings/${owner.orgId}/${other.id}`, { key: 'unique.key' });
    expect(clash.statusCode).toBe(409);
    const same = await call(harness, owner, 'PATCH', `/api/settings/${owner.orgId}/${first.json().id}`, { key: 'unique.key', value: 'kept' });
    expect(same.statusCode).toBe(200);
  });

  it('lets another org use a key this org uses', async () => {
    await call(harness, owner, 'POST', '/api/settings', { key: 'shared.key', value: 1 });
    const stranger = await anonymousOwner(harness);
    const theirs = await call(harness, stranger, 'POST', '/api/settings', { key: 'shared.key', value: 2 });
    expect(theirs.statusCode).toBe(201);
  });

  it('answers 400 naming a field the body may not carry, before anything is written', async () => {
    const before = (await harness.commands()).length;
    const unknown = await call(harness, owner, 'POST', '/api/settings', { key: 'x', value: 1, colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'invalid_parameter' });
    expect(unknown.json().error.message).toContain('colour');
    const readOnly = await call(harness, owner, 'POST', '/api/settings', { key: 'y', value: 1, id: 'mine' });
    expect(readOnly.statusCode).toBe(400);
    expect(readOnly.json().error.message).toContain('id');
    expect((await harness.commands()).length).toBe(before);
  });

  it('answers 400 for invalid values, a missing required field and an empty patch', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/api/feature-flags', { key: 'pct', enabled: true, rollout_pct: 101 }],
      ['POST', '/api/feature-flags', { key: 'Not A Key', enabled: true }],
      ['POST', '/api/users', { email: 'not-an-email', name: 'X', role: 'member' }],
      ['POST', '/api/users', { email: 'x@example.test', name: 'X', role: 'superuser' }],
      ['POST', '/api/settings', { key: 'no-value' }],
      ['POST', '/api/settings', ['not', 'an', 'object']],
    ];
    for (const [method, url, body] of cases) {
      const response = await call(harness, owner, method as 'POST', url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('invalid_parameter');
    }
    const { id } = (await call(harness, owner, 'POST', '/api/settings', { key: 'empty-patch', value: 1 })).json();
    const empty = await call(harness, owner, 'PATCH', `/api/settings/${owner.orgId}/${id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('records the caller as the actor of its commands', async () => {
    const admin = gatewayCaller(owner.orgId, 'admin', 'admin-7');
    const { id } = (await call(harness, admin, 'POST', '/api/settings', { key: 'actor', value: 1 })).json();
    const create = (await harness.commands()).find((command) => command.aggregate_id === id);
    expect(create).toMatchObject({ type: 'CreateResource', aggregate: 'resource', org_id: owner.orgId, data: { resource: 'setting', actor: 'admin-7' } });
  });
});

describe('who may change settings, flags and users', () => {
  let harness: ApiHarness;
  const orgId = 'org-roles';
  const owner = gatewayCaller(orgId, 'owner');
  const admin = gatewayCaller(orgId, 'admin');
  const member = gatewayCaller(orgId, 'member');
  const viewer = gatewayCaller(orgId, 'viewer');

  beforeAll(async () => {
    harness = await startApiHarness({ env: gatewayEnv });
  });
  afterAll(() => harness.close());

  it('lets every role read, and only owners and admins write', async () => {
    const flag = (await call(harness, admin, 'POST', '/api/feature-flags', { key: 'roles', enabled: true })).json();
    for (const caller of [member, viewer]) {
      expect((await call(harness, caller, 'GET', '/api/feature-flags')).statusCode).toBe(200);
      expect((await call(harness, caller, 'GET', `/api/feature-flags/${orgId}/${flag.id}`)).statusCode).toBe(200);
      const writes = [
        await call(harness, caller, 'POST', '/api/feature-flags', { key: 'nope', enabled: true }),
        await call(harness, caller, 'PATCH', `/api/feature-flags/${orgId}/${flag.id}`, { enabled: false }),
        await call(harness, caller, 'DELETE', `/api/feature-flags/${orgId}/${flag.id}`),
      ];
      expect(writes.map((response) => response.statusCode)).toEqual([403, 403, 403]);
      expect(writes.every((response) => response.json().error.code === 'forbidden')).toBe(true);
    }
  });

  it('lets an admin manage members but not grant owner, nor touch an owner', async () => {
    const member1 = await call(harness, admin, 'POST', '/api/users', { email: 'm1@example.test', name: 'M1', role: 'member' });
    expect(member1.statusCode).toBe(201);
    const promoted = await call(harness, admin, 'PATCH', `/api/users/${orgId}/${member1.json().id}`, { role: 'admin' });
    expect(promoted.statusCode).toBe(200);

    const grant = await call(harness, admin, 'PATCH', `/api/users/${orgId}/${member1.json().id}`, { role: 'owner' });
    expect(grant.statusCode).toBe(403);
    const newOwner = await call(harness, admin, 'POST', '/api/users', { email: 'o2@example.test', name: 'O2', role: 'owner' });
    expect(newOwner.statusCode).toBe(403);

    const byOwner = await call(harness, owner, 'POST', '/api/users', { email: 'o3@example.test', name: 'O3', role: 'owner' });
    expect(byOwner.statusCode).toBe(201);
    const ownerUrl = `/api/users/${orgId}/${byOwner.json().id}`;
    expect((await call(harness, admin, 'PATCH', ownerUrl, { name: 'Demoted?' })).statusCode).toBe(403);
    expect((await call(harness, admin, 'DELETE', ownerUrl)).statusCode).toBe(403);
    expect((await call(harness, owner, 'PATCH', ownerUrl, { role: 'admin' })).statusCode).toBe(200);
  });

  it('hides a user’s email from viewers, in lists and fetches', async () => {
    const created = (await call(harness, admin, 'POST', '/api/users', { email: 'hidden@example.test', name: 'Hidden', role: 'viewer' })).json();
    const forViewer = await call(harness, viewer, 'GET', `/api/users/${orgId}/${created.id}`);
    expect(forViewer.json()).toEqual({ id: created.id, org_id: orgId, name: 'Hidden', role: 'viewer', created_at: created.created_at, updated_at: created.updated_at });
    const listed = (await call(harness, viewer, 'GET', '/api/users')).json().items;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((user: Record<string, unknown>) => !('email' in user) && 'name' in user)).toBe(true);
    const forMember = await call(harness, member, 'GET', `/api/users/${orgId}/${created.id}`);
    expect(forMember.json().email).toBe('hidden@example.test');
  });
});
