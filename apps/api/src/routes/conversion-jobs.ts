import { AppError } from '@conveyor/contracts';
import { isCallersOrg, orgScopedParamsSchema, type OrgScopedParams, type RoutePlugin } from './route-plugin.js';

export const conversionJobRoutes: RoutePlugin = async (app, { deps }) => {
  app.get<{ Params: OrgScopedParams }>('/api/conversion-jobs/:org_id/:id', { schema: { params: orgScopedParamsSchema } }, async (request) => {
    const { org_id: orgId, id } = request.params;
    const job = isCallersOrg(request, orgId) ? await deps.readModels.conversionJob(orgId, id) : undefined;
    if (!job) throw new AppError('not_found', `conversion job ${id} not found`);
    return job;
  });
};
