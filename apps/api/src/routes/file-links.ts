import { AppError, ShareFile, fileVisibility } from '@conveyor/contracts';
import type { StoredFile } from '@conveyor/core';
import type { z } from 'zod';
import type { ApiDependencies } from '../dependencies.js';
import { maxDownloadLinkSeconds, SignedDownloadLinks } from '../download/signed-download-links.js';
import { ShareLinks } from '../download/share-links.js';
import { projectionWaitMs, storeCommand } from '../resources/stores/store-commands.js';
import { findCallersFile, refuseQuarantined } from './files.js';
import { errorSchema } from './format-schemas.js';
import { orgScopedParamsSchema, type OrgScopedParams, type RoutePlugin } from './route-plugin.js';

type Visibility = z.infer<typeof fileVisibility>;

const defaultDownloadLinkSeconds = 3600;
/** A restricted share always expires: when no `expires_in` is given, after the longest a link may live. */
const defaultRestrictedShareSeconds = maxDownloadLinkSeconds;

const expiresIn = { type: 'integer', minimum: 1, maximum: maxDownloadLinkSeconds, description: `Seconds until the link stops working (at most ${maxDownloadLinkSeconds}, a week).` } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;

const downloadLinkSchema = {
  tags: ['Download & share'],
  summary: 'Make a signed download link: a URL that fetches the file without an auth header until it expires.',
  params: orgScopedParamsSchema,
  body: { type: ['object', 'null'], additionalProperties: false, properties: { expires_in: { ...expiresIn, default: defaultDownloadLinkSeconds } } },
  response: {
    200: { type: 'object', required: ['url', 'expires_at'], properties: { url: { type: 'string', description: 'Relative to the API’s base URL.' }, expires_at: timestamp } },
    ...Object.fromEntries([400, 401, 403, 404, 410].map((status) => [status, errorSchema])),
  },
} as const;

const shareSchema = {
  tags: ['Download & share'],
  summary: 'Set who may fetch the file (private, org, public, restricted); public and restricted return a share link. Every new share revokes the old links.',
  params: orgScopedParamsSchema,
  body: {
    type: 'object',
    required: ['visibility'],
    additionalProperties: false,
    properties: {
      visibility: { type: 'string', enum: [...fileVisibility.options] },
      expires_in: { ...expiresIn, description: `${expiresIn.description} Public and restricted shares only; a restricted one expires after a week when not given.` },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['visibility', 'share_url', 'expires_at'],
      properties: {
        visibility: { type: 'string', enum: [...fileVisibility.options] },
        share_url: { type: ['string', 'null'], description: 'GET it without credentials; relative to the API’s base URL. Null for private and org.' },
        expires_at: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    ...Object.fromEntries([400, 401, 403, 404, 410].map((status) => [status, errorSchema])),
  },
} as const;

function isLinked(visibility: Visibility): boolean {
  return visibility === 'public' || visibility === 'restricted';
}

/** When a share's links stop working: a restricted share always has an end, a public one only when asked. */
function shareExpiry(visibility: Visibility, expiresInSeconds: number | undefined, now: Date): Date | null {
  if (!isLinked(visibility)) {
    if (expiresInSeconds !== undefined) throw new AppError('invalid_parameter', `expires_in: a ${visibility} share has no link to expire`);
    return null;
  }
  const seconds = expiresInSeconds ?? (visibility === 'restricted' ? defaultRestrictedShareSeconds : undefined);
  return seconds === undefined ? null : new Date(now.getTime() + seconds * 1000);
}

/** Waits until the read model shows the share, so that the link answered works at once. */
async function waitForShare(deps: ApiDependencies, file: StoredFile, shareTokenId: string | null, visibility: Visibility): Promise<void> {
  const { org_id: orgId, id } = file.view;
  await deps.readModels.waitUntil(
    id,
    () => deps.readModels.file(orgId, id),
    (shown) => shown === undefined || (shown.sharing.tokenId === shareTokenId && shown.sharing.visibility === visibility),
    projectionWaitMs,
  );
}

/**
 * `POST /api/files/{org_id}/{id}/download-link` signs a plain download link to the file;
 * `POST …/share` sets its visibility (the `ShareFile` command) and, for public and restricted,
 * answers the `/api/s/{token}` link that fetches it without credentials.
 */
export const fileLinkRoutes: RoutePlugin = async (app, { deps }) => {
  const downloadLinks = SignedDownloadLinks.fromSessions(deps.sessions, deps.clock);
  const shareLinks = ShareLinks.fromSessions(deps.sessions);

  app.post<{ Params: OrgScopedParams; Body: { expires_in?: number } | null }>(
    '/api/files/:org_id/:id/download-link',
    { schema: downloadLinkSchema, config: { scope: 'files:read' } },
    async (request) => {
      const file = await findCallersFile(deps, request);
      refuseQuarantined(file);
      const seconds = request.body?.expires_in ?? defaultDownloadLinkSeconds;
      const expiresAt = new Date(deps.clock.now().getTime() + seconds * 1000);
      const token = downloadLinks.sign(file.view.org_id, file.view.id, expiresAt);
      return { url: `/api/files/${file.view.org_id}/${file.view.id}/download?dl=${token}`, expires_at: expiresAt.toISOString() };
    },
  );

  app.post<{ Params: OrgScopedParams; Body: { visibility: Visibility; expires_in?: number } }>(
    '/api/files/:org_id/:id/share',
    { schema: shareSchema, config: { scope: 'files:write' } },
    async (request) => {
      const file = await findCallersFile(deps, request);
      refuseQuarantined(file);
      const { visibility, expires_in: expiresInSeconds } = request.body;
      const expiresAt = shareExpiry(visibility, expiresInSeconds, deps.clock.now());
      // A fresh id per share: links signed for an earlier one no longer match the file.
      const shareTokenId = isLinked(visibility) ? deps.ids.next() : null;
      const call = { identity: request.identity, request };
      const data = { visibility, share_token_id: shareTokenId, expires_at: expiresAt?.toISOString() ?? null, actor: request.identity.userId };
      await deps.commands.send(storeCommand(ShareFile, { aggregate: 'file', aggregateId: file.view.id }, call, data, deps));
      request.log.info({ org_id: file.view.org_id, file_id: file.view.id, visibility }, 'file shared');
      await waitForShare(deps, file, shareTokenId, visibility);
      const shareUrl = shareTokenId === null ? null : `/api/s/${shareLinks.sign(shareTokenId)}`;
      return { visibility, share_url: shareUrl, expires_at: data.expires_at };
    },
  );
};
