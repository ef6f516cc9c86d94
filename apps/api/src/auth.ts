import { AppError } from '@conveyor/contracts';
import type { SessionTokens } from '@conveyor/core';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The org the caller's credentials belong to; set by the authentication hook. */
    orgId: string;
  }
}

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : bearerPattern.exec(header)?.[1];
}

/**
 * An onRequest hook that admits only callers with a valid session token and records their
 * org on the request. It runs before the body is parsed, so unauthenticated uploads are
 * never read into the blob store.
 */
export function requireSession(sessions: SessionTokens): onRequestAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request);
    if (token === undefined) throw new AppError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    const orgId = sessions.verify(token);
    if (orgId === undefined) throw new AppError('unauthorized', 'invalid or expired bearer token');
    request.orgId = orgId;
  };
}
