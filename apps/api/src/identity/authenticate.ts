import { AppError } from '@conveyor/contracts';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { scopes } from './identity.js';

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : bearerPattern.exec(header)?.[1];
}

/**
 * An onRequest hook that admits only identified callers and records who they are on the
 * request. It runs before the body is parsed, so unauthenticated uploads are never read.
 */
export function authenticate(deps: ApiDependencies): onRequestAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request);
    if (token === undefined) throw new AppError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    const orgId = deps.sessions.verify(token);
    if (orgId === undefined) throw new AppError('unauthorized', 'invalid or expired bearer token');
    request.identity = { orgId, userId: `anonymous:${orgId}`, role: 'owner', kind: 'anonymous', scopes };
  };
}
