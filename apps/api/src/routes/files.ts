import { AppError } from '@conveyor/contracts';
import type { StoredFile } from '@conveyor/core';
import type { FastifyRequest } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { sendFileContent } from '../download/file-response.js';
import { isCallersOrg, orgScopedParamsSchema, type OrgScopedParams, type RoutePlugin } from './route-plugin.js';

/** The file the path names, if it is the caller's; another org's file is not found, as an unknown one. */
export async function findCallersFile(deps: ApiDependencies, request: FastifyRequest<{ Params: OrgScopedParams }>): Promise<StoredFile> {
  const { org_id: orgId, id } = request.params;
  const file = isCallersOrg(request, orgId) ? await deps.readModels.file(orgId, id) : undefined;
  if (!file) throw new AppError('not_found', `file ${id} not found`);
  return file;
}

/** A quarantined file's bytes (and what is in them) are never served again: 410 with the scanner's verdict. */
export function refuseQuarantined(file: StoredFile): void {
  if (file.scan.status === 'infected') throw new AppError('file_infected', `file ${file.view.id} is quarantined: the scanner found ${file.scan.reason ?? 'malware'}`);
  if (file.scan.status === 'rejected') throw new AppError('file_rejected', `file ${file.view.id} is quarantined: ${file.scan.reason ?? 'the scanner rejected it'}`);
}

const downloadQuerySchema = {
  type: 'object',
  properties: {
    dl: { type: 'string', maxLength: 2048, description: 'A signed download link token (POST …/download-link): it stands in for credentials on this one file.' },
  },
} as const;

/**
 * `GET /api/files/{org_id}/{id}/download`: the file's bytes, streamed, with single byte ranges
 * and `If-None-Match`. A `?dl=` token from `…/download-link` is accepted instead of credentials
 * (see `acceptsDownloadLink`). The file's record itself is the auto-CRUD file resource's.
 */
export const fileRoutes: RoutePlugin = async (app, { deps }) => {
  const schema = {
    tags: ['Download & share'],
    summary: 'Stream the file through the API (single HTTP Range, ETag); a signed ?dl=<token> needs no auth header.',
    params: orgScopedParamsSchema,
    querystring: downloadQuerySchema,
  };

  app.get<{ Params: OrgScopedParams }>('/api/files/:org_id/:id/download', { schema, config: { scope: 'files:read', acceptsDownloadLink: true } }, async (request, reply) => {
    const file = await findCallersFile(deps, request);
    refuseQuarantined(file);
    return sendFileContent(deps, file, request, reply);
  });
};
