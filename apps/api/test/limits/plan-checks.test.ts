import { AppError } from '@conveyor/contracts';
import { buildPlanCatalog, defaultPlanDirectory, MemoryRateLimitWindows, type PlanName } from '@conveyor/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/error-handler.js';
import type { Identity } from '../../src/identity/identity.js';
import {
  checkConcurrentJobs,
  checkMergeSize,
  checkPreserveMetadata,
  checkStorageQuota,
  maxUploadBytesFor,
  type PlanCheckDependencies,
} from '../../src/limits/plan-checks.js';
import { announceRetryAfter, retryAfterSecondsOf } from '../../src/limits/retry-after.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

interface Situation {
  /** The plan orgs are on unless the gateway names another. */
  defaultPlan?: PlanName;
  overrides?: string;
  maxUploadBytes?: number;
  activeJobs?: number;
  storedBytes?: number;
}

function dependencies(situation: Situation = {}): PlanCheckDependencies {
  return {
    plans: {
      catalog: buildPlanCatalog({ overrides: situation.overrides ?? '', maxUploadBytes: situation.maxUploadBytes ?? 20 * GiB }),
      directory: defaultPlanDirectory(situation.defaultPlan ?? 'free'),
      usage: { rateLimitWindows: new MemoryRateLimitWindows() },
    },
    readModels: { usage: async () => ({ storage_bytes: situation.storedBytes ?? 0, file_count: 1, active_jobs: situation.activeJobs ?? 0 }) },
  };
}

const caller: Identity = { orgId: 'org1', userId: 'user1', role: 'member', kind: 'api_key', scopes: ['convert:write', 'files:read'] };

/** The AppError `check` throws; fails the test when it throws nothing or something else. */
async function refusal(check: Promise<void>): Promise<AppError> {
  const error = await check.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('checkPreserveMetadata', () => {
  it('refuses preserve_metadata on a plan without it with 403 plan_required, naming the plan that has it', async () => {
    const error = await refusal(checkPreserveMetadata(dependencies(), caller, { preserve_metadata: true }));
    expect(error.code).toBe('plan_required');
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/preserve_metadata .* free plan.*pro plan/);
  });

  it('lets it through on a plan that includes it, including one the gateway named', async () => {
    await expect(checkPreserveMetadata(dependencies({ defaultPlan: 'pro' }), caller, { preserve_metadata: true })).resolves.toBeUndefined();
    await expect(checkPreserveMetadata(dependencies(), { ...caller, planHint: 'enterprise' }, { preserve_metadata: true })).resolves.toBeUndefined();
  });

  it('has nothing to check when the options do not ask to keep metadata', async () => {
    await expect(checkPreserveMetadata(dependencies(), caller, {})).resolves.toBeUndefined();
    await expect(checkPreserveMetadata(dependencies(), caller, { preserve_metadata: false, quality: 80 })).resolves.toBeUndefined();
  });
});

describe('checkMergeSize', () => {
  it("takes up to the plan's bulk_max files", async () => {
    await expect(checkMergeSize(dependencies(), caller, 5)).resolves.toBeUndefined();
  });

  it('refuses more with 403 plan_required when a higher plan takes that many, naming both limits', async () => {
    const error = await refusal(checkMergeSize(dependencies(), caller, 6));
    expect(error.code).toBe('plan_required');
    expect(error.message).toMatch(/6 files exceed the free plan's limit of 5 files per merge \(bulk_max\); the pro plan takes 6/);
  });

  it('refuses more with 400 invalid_parameter when no plan takes that many', async () => {
    const onPro = await refusal(checkMergeSize(dependencies({ defaultPlan: 'pro' }), caller, 21));
    expect(onPro.code).toBe('invalid_parameter');
    expect(onPro.status).toBe(400);
    expect(onPro.message).toMatch(/pro plan's limit of 20 files per merge/);
    const onFree = await refusal(checkMergeSize(dependencies(), caller, 21));
    expect(onFree.code).toBe('invalid_parameter');
  });

  it('follows PLAN_LIMITS overrides', async () => {
    await expect(checkMergeSize(dependencies({ overrides: '{"free":{"bulk_max":2}}' }), caller, 3)).rejects.toMatchObject({ code: 'plan_required' });
  });
});

describe('checkConcurrentJobs', () => {
  it('admits a new job while a slot is free', async () => {
    await expect(checkConcurrentJobs(dependencies({ activeJobs: 4 }), caller)).resolves.toBeUndefined();
  });

  it('refuses one when every slot is taken with 429 rate_limit_exceeded, retryable after 5 seconds', async () => {
    const error = await refusal(checkConcurrentJobs(dependencies({ activeJobs: 5 }), caller));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/concurrent jobs: the free plan runs 5 conversions at once and 5 are queued or running/);
    expect(retryAfterSecondsOf(error)).toBe(5);
  });

  it("counts against the caller's plan", async () => {
    await expect(checkConcurrentJobs(dependencies({ activeJobs: 5 }), { ...caller, planHint: 'pro' })).resolves.toBeUndefined();
  });
});

describe('maxUploadBytesFor', () => {
  it("answers the plan's max_file_bytes, capped by MAX_UPLOAD_BYTES", async () => {
    expect(await maxUploadBytesFor(dependencies(), caller)).toBe(50 * MiB);
    expect(await maxUploadBytesFor(dependencies({ defaultPlan: 'pro' }), caller)).toBe(2 * GiB);
    expect(await maxUploadBytesFor(dependencies({ defaultPlan: 'pro', maxUploadBytes: 512 * MiB }), caller)).toBe(512 * MiB);
  });
});

describe('checkStorageQuota', () => {
  it('admits an upload while the org stores less than its quota', async () => {
    await expect(checkStorageQuota(dependencies({ storedBytes: GiB - 1 }), caller)).resolves.toBeUndefined();
  });

  it('refuses one once the quota is reached with 403 plan_required, saying so', async () => {
    const error = await refusal(checkStorageQuota(dependencies({ storedBytes: GiB }), caller));
    expect(error.code).toBe('plan_required');
    expect(error.message).toMatch(/^storage quota reached: the org stores 1073741824 bytes and the free plan allows 1073741824/);
  });
});

describe('announceRetryAfter', () => {
  it('sends Retry-After with a retryable error, and leaves other errors alone', async () => {
    const app = Fastify();
    app.addHook('onError', announceRetryAfter);
    app.setErrorHandler(renderError);
    app.get('/full', async () => checkConcurrentJobs(dependencies({ activeJobs: 5 }), caller));
    app.get('/forbidden', async () => checkPreserveMetadata(dependencies(), caller, { preserve_metadata: true }));

    const full = await app.inject({ method: 'GET', url: '/full' });
    const forbidden = await app.inject({ method: 'GET', url: '/forbidden' });
    await app.close();

    expect(full.statusCode).toBe(429);
    expect(full.headers['retry-after']).toBe('5');
    expect(full.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['retry-after']).toBeUndefined();
  });
});
