import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

const gatewayKey = 'g'.repeat(32);

function gatewayHeaders(role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-gateway-key': gatewayKey, 'x-auth-org-id': 'acme', 'x-auth-user-id': 'user-42', 'x-auth-role': role, ...extra };
}

describe('gateway identity headers, with GATEWAY_KEY configured', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ env: { GATEWAY_KEY: gatewayKey } });
  });
  afterAll(() => harness.close());

  const whoAmI = (headers: Record<string, string>) => harness.app.inject({ method: 'GET', url: '/api/auth/me', headers });

  it('echoes the identity the gateway forwards, with its role’s scopes and the plan it names', async () => {
    const member = await whoAmI(gatewayHeaders('member', { 'x-auth-plan': 'pro' }));
    expect(member.statusCode).toBe(200);
    expect(member.json()).toEqual({
      org_id: 'acme',
      user_id: 'user-42',
      role: 'member',
      kind: 'gateway',
      scopes: ['convert:write', 'files:read', 'files:write'],
      plan: 'pro',
    });
    const viewer = await whoAmI(gatewayHeaders('viewer'));
    expect(viewer.json()).toMatchObject({ role: 'viewer', scopes: ['files:read'], plan: 'free' });
  });

  it('answers 403 forbidden when a viewer tries to create an API key', async () => {
    const response = await harness.app.inject({ method: 'POST', url: '/api/api-keys', headers: gatewayHeaders('viewer'), payload: { name: 'k', scopes: ['files:read'] } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
  });

  it('gives a key made by a gateway admin that admin’s org, user and role', async () => {
    const created = await harness.app.inject({ method: 'POST', url: '/api/api-keys', headers: gatewayHeaders('admin'), payload: { name: 'k', scopes: ['files:read', 'admin'] } });
    expect(created.statusCode).toBe(201);
    const me = await whoAmI({ 'x-api-key': created.json().key });
    expect(me.json()).toMatchObject({ org_id: 'acme', user_id: 'user-42', role: 'admin', kind: 'api_key', scopes: ['files:read', 'admin'] });
  });

  it('ignores the identity headers without the right X-Gateway-Key: 401 with no other credentials', async () => {
    for (const headers of [gatewayHeaders('owner', { 'x-gateway-key': 'h'.repeat(32) }), gatewayHeaders('owner', { 'x-gateway-key': 'short' })]) {
      const response = await whoAmI(headers);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
    const { 'x-gateway-key': _omitted, ...withoutKey } = gatewayHeaders('owner');
    expect((await whoAmI(withoutKey)).statusCode).toBe(401);
  });

  it('ignores the identity headers without the right X-Gateway-Key: a bearer token’s own org is used', async () => {
    const session = await harness.session();
    const response = await whoAmI({ ...gatewayHeaders('viewer', { 'x-gateway-key': 'h'.repeat(32) }), authorization: session.authorization });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ org_id: session.orgId, kind: 'anonymous', role: 'owner' });
  });

  it('takes the gateway’s identity over a bearer token when its key is right', async () => {
    const session = await harness.session();
    const response = await whoAmI({ ...gatewayHeaders('viewer'), authorization: session.authorization });
    expect(response.json()).toMatchObject({ org_id: 'acme', kind: 'gateway' });
  });

  it('answers 401 when the right key comes with a missing or invalid org, user, role or plan', async () => {
    const invalid = [
      gatewayHeaders('superuser'),
      gatewayHeaders('Owner'),
      gatewayHeaders('member', { 'x-auth-org-id': '../other' }),
      gatewayHeaders('member', { 'x-auth-user-id': '' }),
      gatewayHeaders('member', { 'x-auth-plan': 'platinum' }),
    ];
    const { 'x-auth-role': _role, ...withoutRole } = gatewayHeaders('member');
    const { 'x-auth-org-id': _org, ...withoutOrg } = gatewayHeaders('member');
    for (const headers of [...invalid, withoutRole, withoutOrg]) {
      const response = await whoAmI(headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });
});

describe('gateway identity headers, without GATEWAY_KEY', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness({ pipeline: false });
  });
  afterAll(() => harness.close());

  it('ignores them whatever X-Gateway-Key says', async () => {
    for (const key of [gatewayKey, '', 'undefined']) {
      const response = await harness.app.inject({ method: 'GET', url: '/api/auth/me', headers: gatewayHeaders('owner', { 'x-gateway-key': key }) });
      expect(response.statusCode, key).toBe(401);
    }
    const session = await harness.session();
    const response = await harness.app.inject({ method: 'GET', url: '/api/auth/me', headers: { ...gatewayHeaders('owner'), authorization: session.authorization } });
    expect(response.json()).toMatchObject({ org_id: session.orgId, kind: 'anonymous' });
  });
});
