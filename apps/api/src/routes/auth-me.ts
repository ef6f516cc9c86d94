import { planNames } from '@conveyor/core';
import { roles, scopes } from '../identity/identity.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const text = { type: 'string' } as const;

const identitySchema = {
  type: 'object',
  required: ['org_id', 'user_id', 'role', 'kind', 'scopes', 'plan'],
  properties: {
    org_id: text,
    user_id: text,
    role: { type: 'string', enum: [...roles] },
    kind: { type: 'string', enum: ['anonymous', 'api_key', 'gateway'] },
    scopes: { type: 'array', items: { type: 'string', enum: [...scopes] } },
    api_key_id: { ...text, description: 'Present when the caller used an API key.' },
    plan: { type: 'string', enum: [...planNames] },
  },
} as const;

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
