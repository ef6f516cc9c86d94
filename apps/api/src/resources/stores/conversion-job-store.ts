import { AppError, CancelConversion, DeleteConversion, type ConversionJobView, type JobStatus } from '@conveyor/contracts';
import { jobSettlingEvents } from '@conveyor/core';
import type { ApiDependencies } from '../../dependencies.js';
import { queuedJob } from '../../convert/conversion-commands.js';
import { reachableTargetOf, storedFileConversionCommand } from '../../convert/stored-file-conversion.js';
import { checkConcurrentJobs, checkPreserveMetadata, checkStorageQuota } from '../../limits/plan-checks.js';
import { refuseQuarantined } from '../../routes/files.js';
import type { ResourceStore } from '../resource-definition.js';
import { projectionWaitMs, storeCommand } from './store-commands.js';

const finishedStatuses: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * How often a long poll reads the job again unprompted. A projector in this process wakes it at
 * once (whichever process's projector wrote the row), so then this is only a safety net; a
 * process without one (`conveyor api` on its own) finds the change by these reads.
 */
const settledRecheckMs = { withProjector: 10_000, withoutProjector: 1_000 };

function isFinished(job: Pick<ConversionJobView, 'status'>): boolean {
  return finishedStatuses.has(job.status);
}

/** What a create body holds once validated. */
interface ConversionJobCreate {
  file_id: string;
  target_format: string;
  options?: Record<string, unknown>;
}

/**
 * The org's conversion jobs: reads from the `conversion_jobs` read model; a create converts a
 * file the org already stored (RequestConversion, within the plan's limits), an update can only
 * cancel (CancelConversion), and only a finished job may be deleted (DeleteConversion).
 */
export function conversionJobStore(deps: ApiDependencies): ResourceStore {
  const readJob = (orgId: string, id: string) => deps.readModels.conversionJob(orgId, id);

  return {
    async list(call, { limit, cursor }) {
      return deps.readModels.listConversionJobs(call.identity.orgId, limit, cursor);
    },

    async find(call, id) {
      return readJob(call.identity.orgId, id);
    },

    async findSettled(call, id, { timeoutMs, signal, checkFirst }) {
      const orgId = call.identity.orgId;
      return deps.readModels.waitUntil(id, () => readJob(orgId, id), (job) => job === undefined || isFinished(job), timeoutMs, {
        recheckMs: deps.readModels.projectorNotifies ? settledRecheckMs.withProjector : settledRecheckMs.withoutProjector,
        signal,
        wakeOn: jobSettlingEvents,
        checkFirst,
        told: (projection) => deps.readModels.toldConversionJob(projection, orgId),
      });
    },

    async create(call, body) {
      const { file_id: fileId, target_format: requestedTarget, options = {} } = body as unknown as ConversionJobCreate;
      const orgId = call.identity.orgId;
      const file = await deps.readModels.file(orgId, fileId);
      if (!file) throw new AppError('not_found', `file ${fileId} not found`);
      refuseQuarantined(file);
      const targetFormat = reachableTargetOf(file, { target_format: requestedTarget, options }, deps);
      // The plan's limits, as on every conversion: its output will be stored, and it takes a job slot.
      await checkPreserveMetadata(deps, call.identity, options);
      const standing = await deps.readModels.usage(orgId);
      await checkStorageQuota(deps, call.identity, standing);
      await checkConcurrentJobs(deps, call.identity, standing);
      const jobId = deps.ids.next();
      const command = storedFileConversionCommand(file, targetFormat, options, { orgId, jobId }, deps);
      const projected = deps.readModels.expectConversionJob(orgId, jobId, projectionWaitMs);
      await deps.commands.send(command);
      call.request.log.info({ job_id: jobId, file_id: fileId, org_id: orgId }, 'conversion requested');
      const job = await projected.landed();
      return job ?? queuedJob({ registerUploads: [], requestConversion: command });
    },

    async update(call, record, changes) {
      // The update schema admits nothing but { status: 'cancelled' }.
      if (changes.status !== 'cancelled') throw new AppError('invalid_parameter', 'status: a job can only be cancelled');
      const job = record as unknown as ConversionJobView;
      if (job.status === 'cancelled') return record;
      if (isFinished(job)) throw new AppError('conflict', `conversion job ${job.id} already ${job.status}`);
      const command = storeCommand(CancelConversion, { aggregate: 'conversion', aggregateId: job.id }, call, {}, deps);
      await deps.commands.send(command);
      const shown = await deps.readModels.waitUntil(job.id, () => readJob(command.org_id, job.id), (current) => current === undefined || isFinished(current), projectionWaitMs);
      if (!shown) throw new AppError('not_found', `conversion job ${job.id} was deleted meanwhile`);
      // A running job cannot refuse its cancellation: if the projection is slow, the job will read as this.
      return isFinished(shown) ? shown : { ...shown, status: 'cancelled' };
    },

    async remove(call, record) {
      const job = record as unknown as ConversionJobView;
      if (!isFinished(job)) throw new AppError('conflict', `conversion job ${job.id} is ${job.status}: cancel it before deleting it`);
      const command = storeCommand(DeleteConversion, { aggregate: 'conversion', aggregateId: job.id }, call, { actor: call.identity.userId }, deps);
      await deps.commands.send(command);
      await deps.readModels.waitUntil(job.id, () => readJob(command.org_id, job.id), (shown) => shown === undefined, projectionWaitMs);
    },
  };
}
