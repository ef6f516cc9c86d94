import type { Identity } from '../identity/identity.js';
import { checkConcurrentJobs, checkStorageQuota, maxUploadBytesFor, type PlanCheckDependencies } from './plan-checks.js';

/**
 * Refuses a conversion the caller's plan has no room for (storage quota, concurrent jobs)
 * before a byte of its upload is read, and answers how large that upload may be.
 */
export async function admitConversion(deps: PlanCheckDependencies, identity: Identity): Promise<{ maxUploadBytes: number }> {
  // Both checks read the same row: once is enough.
  const standing = await deps.readModels.usage(identity.orgId);
  await checkStorageQuota(deps, identity, standing);
  await checkConcurrentJobs(deps, identity, standing);
  return { maxUploadBytes: await maxUploadBytesFor(deps, identity) };
}
