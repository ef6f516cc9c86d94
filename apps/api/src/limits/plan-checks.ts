import { AppError } from '@conveyor/contracts';
import type { OrgUsageView, PlanLimits, PlanName, ReadModelQueries } from '@conveyor/core';
import type { ApiDependencies } from '../dependencies.js';
import type { Identity } from '../identity/identity.js';
import { retryableError } from './retry-after.js';

/** What the checks read: the plans, and (for the storage quota and concurrent jobs) the org's running totals. */
export interface PlanCheckDependencies {
  plans: ApiDependencies['plans'];
  readModels: Pick<ReadModelQueries, 'usage'>;
}

/** The org's totals the checks compare with its plan: stored bytes and running jobs. */
export type OrgStanding = Pick<OrgUsageView, 'storage_bytes' | 'active_jobs'>;

/** How long a caller whose concurrent jobs are all taken is asked to wait before trying again. */
export const concurrentJobsRetryAfterSeconds = 5;

/** The caller's plan and its limits. */
export async function planOfCaller(deps: PlanCheckDependencies, identity: Identity): Promise<{ plan: PlanName; limits: Readonly<PlanLimits> }> {
  const plan = await deps.plans.directory.planOf({ orgId: identity.orgId, planHint: identity.planHint });
  return { plan, limits: deps.plans.catalog.limitsOf(plan) };
}

/** The first plan above `current` whose limits satisfy `allows`, if any does. */
function upgradeFor(deps: PlanCheckDependencies, current: PlanName, allows: (limits: Readonly<PlanLimits>) => boolean): PlanName | undefined {
  const plans = deps.plans.catalog.plans;
  const above = plans.slice(plans.findIndex((plan) => plan.name === current) + 1);
  return above.find((plan) => allows(plan.limits))?.name;
}

/** The largest upload the caller's plan takes, in bytes (never above `MAX_UPLOAD_BYTES`). */
export async function maxUploadBytesFor(deps: PlanCheckDependencies, identity: Identity): Promise<number> {
  return (await planOfCaller(deps, identity)).limits.max_file_bytes;
}

/**
 * Conversion options may ask to keep the source's metadata only on a plan that allows it.
 *
 * @throws AppError `plan_required` (403) when `options.preserve_metadata` is true and the plan does not allow it.
 */
export async function checkPreserveMetadata(deps: PlanCheckDependencies, identity: Identity, options: Readonly<Record<string, unknown>>): Promise<void> {
  if (options.preserve_metadata !== true) return;
  const { plan, limits } = await planOfCaller(deps, identity);
  if (limits.preserve_metadata) return;
  const upgrade = upgradeFor(deps, plan, (other) => other.preserve_metadata);
  throw new AppError('plan_required', `preserve_metadata is not included in the ${plan} plan` + (upgrade ? `; the ${upgrade} plan includes it` : ''));
}

/**
 * A PDF merge may take at most the plan's `bulk_max` files.
 *
 * @throws AppError `plan_required` (403) when a higher plan would take `fileCount` files, else
 *   `invalid_parameter` (400): no plan would, so the request itself is at fault.
 */
export async function checkMergeSize(deps: PlanCheckDependencies, identity: Identity, fileCount: number): Promise<void> {
  const { plan, limits } = await planOfCaller(deps, identity);
  if (fileCount <= limits.bulk_max) return;
  const refusal = `${fileCount} files exceed the ${plan} plan's limit of ${limits.bulk_max} files per merge (bulk_max)`;
  const upgrade = upgradeFor(deps, plan, (other) => fileCount <= other.bulk_max);
  if (upgrade) throw new AppError('plan_required', `${refusal}; the ${upgrade} plan takes ${fileCount}`);
  throw new AppError('invalid_parameter', refusal);
}

/**
 * A new conversion needs a free slot among the plan's `concurrent_jobs` (queued, scanning or
 * processing ones hold one each), counted over every api process.
 *
 * @throws AppError `rate_limit_exceeded` (429, `Retry-After: 5`) when every slot is taken.
 */
export async function checkConcurrentJobs(deps: PlanCheckDependencies, identity: Identity, standing?: OrgStanding): Promise<void> {
  const { plan, limits } = await planOfCaller(deps, identity);
  const { active_jobs: active } = standing ?? (await deps.readModels.usage(identity.orgId));
  if (active < limits.concurrent_jobs) return;
  throw retryableError(
    'rate_limit_exceeded',
    `too many concurrent jobs: the ${plan} plan runs ${limits.concurrent_jobs} conversions at once and ${active} are queued or running; retry when one ends`,
    concurrentJobsRetryAfterSeconds,
  );
}

/**
 * An upload needs room in the org's storage quota. Checked before the upload is read, so a
 * single upload may take the org past the quota; the next one is refused.
 *
 * @throws AppError `plan_required` (403) once the org stores `storage_quota_bytes` or more.
 */
export async function checkStorageQuota(deps: PlanCheckDependencies, identity: Identity, standing?: OrgStanding): Promise<void> {
  const { plan, limits } = await planOfCaller(deps, identity);
  const { storage_bytes: stored } = standing ?? (await deps.readModels.usage(identity.orgId));
  if (stored < limits.storage_quota_bytes) return;
  throw new AppError(
    'plan_required',
    `storage quota reached: the org stores ${stored} bytes and the ${plan} plan allows ${limits.storage_quota_bytes}; delete files or move to a larger plan`,
  );
}
