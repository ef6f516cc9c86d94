import { AppError } from '@conveyor/contracts';
import type { FastifyRequest } from 'fastify';
import type { SignedDownloadLinks } from '../download/signed-download-links.js';
import type { Identity } from './identity.js';

/** The `?dl=` token of a request to a route that accepts download links; undefined elsewhere. */
export function downloadLinkToken(request: FastifyRequest): string | undefined {
  if (request.routeOptions.config.acceptsDownloadLink !== true) return undefined;
  const token = (request.query as Record<string, unknown> | undefined)?.dl;
  return typeof token === 'string' ? token : undefined;
}

/**
 * The identity a download link stands for: a reader of the one file it was signed for, in that
 * file's org, so that the route's org check, scope check and per-org rate limit apply as to any
 * caller. A forged or expired link, or one for another file or org than the path names, is 401:
 * the link is a credential that does not hold here, and the answer says nothing of the file.
 */
export function downloadLinkIdentity(links: SignedDownloadLinks, token: string, request: FastifyRequest): Identity {
  const grant = links.verify(token);
  if (grant === undefined) throw new AppError('unauthorized', 'the download link is invalid or has expired');
  const { org_id: orgId, id: fileId } = request.params as { org_id?: string; id?: string };
  if (grant.orgId !== orgId || grant.fileId !== fileId) throw new AppError('unauthorized', 'the download link was made for another file');
  return { orgId: grant.orgId, userId: `download-link:${grant.fileId}`, role: 'viewer', kind: 'download_link', scopes: ['files:read'] };
}
