import { AppError } from '@conveyor/contracts';
import { sendFileContent } from '../download/file-response.js';
import { isLiveShare, ShareLinks } from '../download/share-links.js';
import { refuseQuarantined } from './files.js';
import type { RoutePlugin } from './route-plugin.js';

const paramsSchema = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' } },
} as const;

/**
 * `GET /api/s/{token}`: a shared file, for anyone holding its link. Public: it is registered
 * outside the authenticated routes, and the per-address rate limit covers it. A link that is
 * forged, revoked (a newer share, or private/org), expired, or whose file is gone is 404 alike,
 * so that following one teaches nothing about the file.
 */
export const sharedFileRoutes: RoutePlugin = async (app, { deps }) => {
  const shareLinks = ShareLinks.fromSessions(deps.sessions);

  app.get<{ Params: { token: string } }>(
    '/api/s/:token',
    { schema: { tags: ['Download & share'], summary: 'Public, no-auth fetch of a shared file (single HTTP Range, ETag).', params: paramsSchema } },
    async (request, reply) => {
      const shareTokenId = shareLinks.verify(request.params.token);
      const file = shareTokenId === undefined ? undefined : await deps.readModels.fileByShareToken(shareTokenId);
      if (shareTokenId === undefined || !file || !isLiveShare(file, shareTokenId, deps.clock.now())) throw new AppError('not_found', 'no such shared file, or its link no longer works');
      refuseQuarantined(file);
      return sendFileContent(deps, file, request, reply);
    },
  );
};
