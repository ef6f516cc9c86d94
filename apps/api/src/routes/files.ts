import { AppError } from '@conveyor/contracts';
import type { StoredFile } from '@conveyor/core';
import type { FastifyRequest } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { attachmentDisposition } from '../download/content-disposition.js';
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

/** `GET /api/files/{org_id}/{id}/download`: the file's bytes. The file's record itself is the auto-CRUD file resource's. */
export const fileRoutes: RoutePlugin = async (app, { deps }) => {
  const schema = { tags: ['Download & share'], summary: 'Stream the file through the API.', params: orgScopedParamsSchema };

  app.get<{ Params: OrgScopedParams }>('/api/files/:org_id/:id/download', { schema, config: { scope: 'files:read' } }, async (request, reply) => {
    const file = await findCallersFile(deps, request);
    refuseQuarantined(file);
    const bytes = await deps.blobs.read(file.blobKey);
    return reply
      .header('content-type', file.view.mime)
      .header('content-length', file.view.size)
      .header('content-disposition', attachmentDisposition(file.view.name))
      // The bytes are the user's, not ours: a browser must never render them as something else.
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  });
};
