import { planNames } from '@conveyor/core';
import { z } from 'zod/v4';
import { roles, scopes } from '../identity/identity.js';
import { jsonSchemaOf } from '../resources/json-schema.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const identitySchema = jsonSchemaOf(
  z.object({
    org_id: z.string(),
    user_id: z.string(),
    role: z.enum(roles),
    kind: z.enum(['anonymous', 'api_key', 'gateway']),
    scopes: z.array(z.enum(scopes)),
    api_key_id: z.string().optional().describe('Present when the caller used an API key.'),
    plan: z.enum(planNames),
  }),
  'output',
);

/** `GET /api/auth/me`: who the server takes the caller to be, and on which plan. */
export const authMeRoutes: RoutePlugin = async (app, { deps }) => {
  app.get(
    '/api/auth/me',
    { schema: { tags: ['Account & usage'], summary: 'Echo the resolved identity.', response: { 200: identitySchema, 401: errorSchema } } },
    async (request) => {
      const identity = request.identity;
      return {
        org_id: identity.orgId,
        user_id: identity.userId,
        role: identity.role,
        kind: identity.kind,
        scopes: identity.scopes,
        ...(identity.apiKeyId === undefined ? {} : { api_key_id: identity.apiKeyId }),
        plan: await deps.plans.directory.planOf({ orgId: identity.orgId, planHint: identity.planHint }),
      };
    },
  );
};
