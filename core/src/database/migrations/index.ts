import type { Migration } from 'kysely';
import * as eventLog from './0001_event_log.js';
import * as readModels from './0002_read_models.js';
import * as appendFunction from './0003_event_log_append_function.js';
import * as fileInspection from './0004_file_inspection.js';
import * as tenancy from './0005_tenancy.js';
import * as rateLimits from './0006_rate_limits.js';
import * as apiKeyUsage from './0007_api_key_usage.js';
import * as fileSharing from './0008_file_sharing.js';
import * as claimFunction from './0009_event_log_claim_function.js';
import * as batchedWrites from './0010_event_log_batched_writes.js';
import * as batchLocksOnce from './0011_event_log_batch_locks_streams_once.js';
import * as orgUsage from './0012_org_usage.js';
import * as claimLeasesOnAdmission from './0013_event_log_claim_leases_on_admission.js';
import * as orgActiveJobs from './0014_org_active_jobs.js';

/**
 * Every migration, by name. A static record rather than a folder scan so that the bundled CLI
 * and the tests (which run the TypeScript sources) see the same list. Names sort in run order.
 */
export const migrations: Record<string, Migration> = {
  '0001_event_log': eventLog,
  '0002_read_models': readModels,
  '0003_event_log_append_function': appendFunction,
  '0004_file_inspection': fileInspection,
  '0005_tenancy': tenancy,
  '0006_rate_limits': rateLimits,
  '0007_api_key_usage': apiKeyUsage,
  '0008_file_sharing': fileSharing,
  '0009_event_log_claim_function': claimFunction,
  '0010_event_log_batched_writes': batchedWrites,
  '0011_event_log_batch_locks_streams_once': batchLocksOnce,
  '0012_org_usage': orgUsage,
  '0013_event_log_claim_leases_on_admission': claimLeasesOnAdmission,
  '0014_org_active_jobs': orgActiveJobs,
};
