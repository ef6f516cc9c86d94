import { AppError } from '@conveyor/contracts';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { SignedDownloadLinks } from '../download/signed-download-links.js';
import { apiKeyIdentity } from './api-key-identity.js';
import { downloadLinkIdentity, downloadLinkToken } from './download-link-identity.js';
import { gatewayIdentity } from './gateway-identity.js';
import type { Identity } from './identity.js';
import { scopesOfRole } from './role-scopes.js';

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : bearerPattern.exec(header)?.[1];
}

/** An anonymous session owns the fresh org its token stands for. */
function sessionIdentity(deps: ApiDependencies, token: string): Identity {
  const orgId = deps.sessions.verify(token);
  if (orgId === undefined) throw new AppError('unauthorized', 'invalid or expired bearer token');
  return { orgId, userId: `anonymous:${orgId}`, role: 'owner', kind: 'anonymous', scopes: scopesOfRole('owner') };
}

/**
 * Who is calling, by the first credential present: the gateway's headers (only with a valid
 * `X-Gateway-Key`), else `X-API-Key`, else `Authorization: Bearer`. A credential that is present
 * but invalid is refused rather than skipped, so that a caller learns its key or token is bad.
 */
async function resolveIdentity(deps: ApiDependencies, request: FastifyRequest): Promise<Identity> {
  const fromGateway = gatewayIdentity(request.headers, deps.config.identity.gatewayKey);
  if (fromGateway !== undefined) return fromGateway;
  const apiKey = request.headers['x-api-key'];
  // A repeated header arrives as several values; no single key is meant, so none is accepted.
  if (apiKey !== undefined) return apiKeyIdentity(typeof apiKey === 'string' ? apiKey : '', deps, request.log);
  const token = bearerToken(request);
  if (token !== undefined) return sessionIdentity(deps, token);
  throw new AppError('unauthorized', 'missing credentials: send X-API-Key: <key> or Authorization: Bearer <token>');
}

/**
 * An onRequest hook that admits only identified callers and records who they are on the
 * request. It runs before the body is parsed, so unauthenticated uploads are never read.
 */
export function authenticate(deps: ApiDependencies): onRequestAsyncHookHandler {
  const downloadLinks = SignedDownloadLinks.fromSessions(deps.sessions, deps.clock);
  return async (request) => {
    // A link is the credential of whoever follows it: where one is given, it alone is checked.
    const link = downloadLinkToken(request);
    request.identity = link === undefined ? await resolveIdentity(deps, request) : downloadLinkIdentity(downloadLinks, link, request);
  };
}
