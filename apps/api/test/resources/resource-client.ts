import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/identity/identity.js';
import { expect } from 'vitest';
import type { ApiHarness } from '../support/api-harness.js';
import { multipartForm, pngBytes } from '../support/multipart.js';

/** The key the tests' gateway shares with the API, so that they can call as any role. */
export const gatewayKey = 'resources-test-gateway-key';
export const gatewayEnv = { GATEWAY_KEY: gatewayKey };

/** A caller: the headers it sends and the org they stand for. */
export interface Caller {
  orgId: string;
  headers: Record<string, string>;
}

/** A fresh anonymous session: the owner of a new, empty org. */
export async function anonymousOwner(harness: ApiHarness): Promise<Caller> {
  const { orgId, authorization } = await harness.session();
  return { orgId, headers: { authorization } };
}

/** Someone of `orgId` with `role`, as the gateway forwards them. */
export function gatewayCaller(orgId: string, role: Role, userId = `${role}@example.test`): Caller {
  return { orgId, headers: { 'x-gateway-key': gatewayKey, 'x-auth-org-id': orgId, 'x-auth-user-id': userId, 'x-auth-role': role } };
}

/** Calls the API as `caller`, a JSON body when one is given. */
export function call(harness: ApiHarness, caller: Caller, method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return harness.app.inject({ method, url, headers: caller.headers, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
}

/** Uploads a small PNG as `caller` through `POST /api/files`; answers the new file's id. */
export async function uploadPng(harness: ApiHarness, caller: Caller): Promise<string> {
  const form = multipartForm([{ name: 'file', fileName: 'source.png', content: pngBytes(900), contentType: 'image/png' }]);
  const uploaded = await harness.app.inject({ method: 'POST', url: '/api/files', headers: { ...caller.headers, ...form.headers }, payload: form.payload });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return uploaded.json().id;
}
