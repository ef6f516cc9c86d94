import { fileAggregate } from '../aggregates/aggregate-types.js';
import type { CommandHandler } from '../aggregates/command-handler.js';
import { hasScanVerdict, type FileState } from '../deciders/file-decider.js';
import { deriveId } from '../system/derived-id.js';

/** Who asks: one conversion job, and the event that made the process manager ask. */
export interface GateRequest {
  jobId: string;
  orgId: string;
  correlationId: string | null;
  /** The event being reacted to; command ids derive from it, so a redelivery asks nothing twice. */
  causeId: string;
  fileIds: readonly string[];
}

export type GateAnswer =
  | { kind: 'clear' }
  | { kind: 'blocked'; errorCode: 'file_infected' | 'file_rejected'; message: string }
  | { kind: 'waiting'; fileIds: string[] };

/**
 * No converter touches a file before the scanner has passed it. Each source file is asked to
 * hold the job until its verdict (`AwaitScan`): the file's own decider records the wait only
 * while no verdict exists, so a verdict and a wait can never miss each other. A verdict is
 * final, so a file whose verdict is already known here is not asked (asking would only have
 * the command handler read the file's events back to confirm that nothing is to be done); nor
 * is a file registered with the job already waiting (`FileUploaded.awaiting_job_id`): its
 * verdict will release the job, unless it is in already, which a fresh read of the file shows.
 */
export class ScanGate {
  constructor(private readonly commands: CommandHandler) {}

  async check(request: GateRequest): Promise<GateAnswer> {
    const states: Array<[string, FileState]> = [];
    for (const fileId of request.fileIds) {
      const known = await this.commands.stateAt(fileAggregate, fileId, 0);
      if (hasScanVerdict(known)) {
        states.push([fileId, known]);
        continue;
      }
      if (known.exists && known.awaitingJobs.includes(request.jobId)) {
        // Registered with this job waiting (a convert call's upload): only a verdict since then
        // can change that, and the state known here may predate it, so the file is read afresh.
        states.push([fileId, await this.commands.stateAt(fileAggregate, fileId, Number.POSITIVE_INFINITY)]);
        continue;
      }
      const handled = await this.commands.handle(
        fileAggregate,
        { aggregateId: fileId, orgId: request.orgId, commandId: deriveId(request.causeId, `await-scan:${fileId}`), correlationId: request.correlationId },
        { type: 'AwaitScan', data: { job_id: request.jobId } },
      );
      states.push([fileId, handled.state]);
    }
    for (const verdict of ['infected', 'rejected'] as const) {
      const refused = states.find(([, state]) => state.exists && state.scan === verdict);
      if (refused) {
        const [fileId, state] = refused;
        const reason = state.exists ? state.scanReason : '';
        return { kind: 'blocked', errorCode: `file_${verdict}`, message: `file ${fileId} was ${verdict === 'infected' ? 'found infected' : 'rejected'} by the scanner: ${reason}` };
      }
    }
    const pending = states.filter(([, state]) => state.exists && state.scan === 'pending').map(([fileId]) => fileId);
    return pending.length > 0 ? { kind: 'waiting', fileIds: pending } : { kind: 'clear' };
  }
}
