import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';

/** Every route module is a Fastify plugin that receives the ingress's dependencies. */
export type RoutePlugin = FastifyPluginAsync<{ deps: ApiDependencies }>;

/** Path parameters of a resource addressed as `/<resource>/{org_id}/{id}`. */
export interface OrgScopedParams {
  org_id: string;
  id: string;
}

const identifier = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } as const;

export const orgScopedParamsSchema = {
  type: 'object',
  required: ['org_id', 'id'],
  properties: { org_id: identifier, id: identifier },
} as const;

/**
 * True when the path names the caller's own org. Routes answer another org's resource with
 * 404, exactly as an unknown one, so that its existence is never disclosed.
 */
export function isCallersOrg(request: FastifyRequest, orgId: string): boolean {
  return request.identity.orgId === orgId;
}
