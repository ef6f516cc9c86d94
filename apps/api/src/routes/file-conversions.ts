import { conversionOffers, readBlobImageDimensions } from '@conveyor/core';
import { errorSchema, fileConversionsSchema } from './format-schemas.js';
import { findCallersFile } from './files.js';
import { orgScopedParamsSchema, type OrgScopedParams, type RoutePlugin } from './route-plugin.js';

/**
 * `GET /api/files/{org_id}/{id}/conversions`: what this file can become, with the options and
 * presets each target accepts. An image's own size is read from its header (the first bytes
 * of the blob, not the whole file) and offered as the default width and height.
 */
export const fileConversionRoutes: RoutePlugin = async (app, { deps }) => {
  app.get<{ Params: OrgScopedParams }>(
    '/api/files/:org_id/:id/conversions',
    { config: { scope: 'files:read' }, schema: { tags: ['Convert'], summary: 'Available targets and per-target option descriptors, with source width/height prefilled.', params: orgScopedParamsSchema, response: { 200: fileConversionsSchema, 404: errorSchema } } },
    async (request) => {
      const file = await findCallersFile(deps, request);
      const format = file.view.format;
      const dimensions = await readBlobImageDimensions(deps.blobs, { key: file.blobKey, format, size: file.view.size });
      return {
        file_id: file.view.id,
        source_format: format,
        dimensions: dimensions ?? null,
        conversions: conversionOffers(deps.capabilities, format, deps.maxHops, dimensions),
      };
    },
  );
};
