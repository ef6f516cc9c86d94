import { planNames } from '@conveyor/core';
import { planOfCaller } from '../limits/plan-checks.js';
import { errorSchema } from './format-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const byteCount = { type: 'integer', minimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;

const planLimitsSchema = {
  type: 'object',
  required: ['max_file_bytes', 'bulk_max', 'requests_per_minute', 'concurrent_jobs', 'preserve_metadata', 'storage_quota_bytes'],
  properties: {
    max_file_bytes: { ...count, description: 'Largest upload, in bytes' },
    bulk_max: { ...count, description: 'Most files one PDF merge takes' },
    requests_per_minute: { ...count, description: 'Requests the org may make in one minute' },
    concurrent_jobs: { ...count, description: 'Conversions the org may have queued, scanning or processing at once' },
    preserve_metadata: { type: 'boolean', description: 'Whether conversions may keep the source metadata (preserve_metadata: true)' },
    storage_quota_bytes: { ...count, description: 'Bytes the org may keep stored' },
  },
} as const;

const usageSchema = {
  type: 'object',
  required: ['plan', 'storage_bytes', 'quota_bytes', 'file_count', 'limits'],
  properties: {
    plan: { type: 'string', enum: [...planNames] },
    storage_bytes: { ...byteCount, description: 'Bytes of the files the org stores, deleted and expired ones left out' },
    quota_bytes: { ...byteCount, description: "The plan's storage quota: uploads are refused once storage_bytes reaches it" },
    file_count: { type: 'integer', minimum: 0 },
    limits: planLimitsSchema,
  },
} as const;

/** `GET /api/usage`: the caller's plan, its limits, and how much of the storage quota the org uses. */
export const usageRoutes: RoutePlugin = async (app, { deps }) => {
  app.get(
    '/api/usage',
    {
      config: { scope: 'files:read' },
      schema: {
        tags: ['usage'],
        summary: "The org's plan, its limits and its stored bytes",
        response: { 200: usageSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const { plan, limits } = await planOfCaller(deps, request.identity);
      const stored = await deps.readModels.usage(request.identity.orgId);
      return { plan, storage_bytes: stored.storage_bytes, quota_bytes: limits.storage_quota_bytes, file_count: stored.file_count, limits };
    },
  );
};
