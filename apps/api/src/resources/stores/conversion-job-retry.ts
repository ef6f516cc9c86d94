import { AppError, RetryConversion, type ConversionJobView } from '@conveyor/contracts';
import type { ApiDependencies } from '../../dependencies.js';
import { checkConcurrentJobs } from '../../limits/plan-checks.js';
import type { ResourceRecord, StoreCall } from '../resource-definition.js';
import { projectionWaitMs, storeCommand } from './store-commands.js';

/**
 * Runs a failed job again (RetryConversion): same id, one more attempt, queued to be planned
 * afresh. Any other job is 409, since it is still running or ended as it was meant to. The
 * answer is the job once the read model shows it queued again.
 */
export async function retryConversionJob(call: StoreCall, record: ResourceRecord, deps: ApiDependencies): Promise<ResourceRecord> {
  const job = record as unknown as ConversionJobView;
  if (job.status !== 'failed') throw new AppError('conflict', `conversion job ${job.id} is ${job.status}: only a failed job can be retried`);
  // A rerun takes a job slot as a new job would.
  await checkConcurrentJobs(deps, call.identity);
  const command = storeCommand(RetryConversion, { aggregate: 'conversion', aggregateId: job.id }, call, { actor: call.identity.userId }, deps);
  await deps.commands.send(command);
  call.request.log.info({ job_id: job.id, org_id: job.org_id, attempt_count: job.attempt_count + 1 }, 'conversion retried');
  const shown = await deps.readModels.waitUntil(
    job.id,
    () => deps.readModels.conversionJob(job.org_id, job.id),
    (current) => current === undefined || current.attempt_count > job.attempt_count,
    projectionWaitMs,
  );
  if (!shown) throw new AppError('not_found', `conversion job ${job.id} was deleted meanwhile`);
  // The projection may lag: the job is queued again all the same, as the command says.
  return shown.attempt_count > job.attempt_count ? shown : { ...job, status: 'queued', attempt_count: job.attempt_count + 1, error_code: null, error_message: null };
}
