import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@conveyor/contracts';
import { planNames, type PlanName } from '@conveyor/core';
import { roles, type Identity, type Role } from './identity.js';
import { scopesOfRole } from './role-scopes.js';

/** Org ids appear in resource paths (`/api/files/{org_id}/{id}`), so they must fit that pattern. */
const orgIdPattern = /^[A-Za-z0-9_-]{1,128}$/;
/** User ids are the gateway's own (emails, uuids, subjects…): any printable text of sensible length. */
const userIdPattern = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

/**
 * Compares the digests rather than the strings, so that neither the content nor the length of
 * the configured key leaks through timing.
 */
function isGatewayKey(given: string, configured: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(configured));
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The identity an authenticating gateway forwards, or undefined when the request does not carry
 * the gateway's key — the identity headers are then ignored, as if absent, for anyone can send
 * them. With the key, they must name a valid org, user and role (and plan, if any): 401 if not.
 *
 * @example
 * gatewayIdentity({ 'x-gateway-key': key, 'x-auth-org-id': 'o1', 'x-auth-user-id': 'u1', 'x-auth-role': 'viewer' }, key)
 * // { orgId: 'o1', userId: 'u1', role: 'viewer', kind: 'gateway', scopes: ['files:read'] }
 */
export function gatewayIdentity(headers: IncomingHttpHeaders, gatewayKey: string | undefined): Identity | undefined {
  const given = singleHeader(headers, 'x-gateway-key');
  if (gatewayKey === undefined || given === undefined || !isGatewayKey(given, gatewayKey)) return undefined;

  const orgId = singleHeader(headers, 'x-auth-org-id');
  const userId = singleHeader(headers, 'x-auth-user-id');
  const role = singleHeader(headers, 'x-auth-role');
  const plan = singleHeader(headers, 'x-auth-plan');
  if (orgId === undefined || !orgIdPattern.test(orgId)) throw new AppError('unauthorized', 'the gateway sent no valid X-Auth-Org-Id');
  if (userId === undefined || !userIdPattern.test(userId)) throw new AppError('unauthorized', 'the gateway sent no valid X-Auth-User-Id');
  if (!roles.includes(role as Role)) throw new AppError('unauthorized', `the gateway sent no valid X-Auth-Role (one of ${roles.join(', ')})`);
  // A plan the gateway names but this server does not know is a misconfiguration, not a hint to drop.
  if (plan !== undefined && !planNames.includes(plan as PlanName)) {
    throw new AppError('unauthorized', `the gateway sent an unknown X-Auth-Plan (one of ${planNames.join(', ')})`);
  }
  const identity: Identity = { orgId, userId, role: role as Role, kind: 'gateway', scopes: scopesOfRole(role as Role) };
  return plan === undefined ? identity : { ...identity, planHint: plan as PlanName };
}
