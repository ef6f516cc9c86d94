import type { ConversionCommand, ConvertStepTask, EventEnvelope, FileCommand } from '@conveyor/contracts';
import { conversionAggregate, fileAggregate } from '../aggregates/aggregate-types.js';
import type { CommandHandler } from '../aggregates/command-handler.js';
import type { BlobStore } from '../blob-store/port.js';
import { currentStepIndex, isTerminal, type ConversionState } from '../deciders/conversion-decider.js';
import type { EventLog, StoredMessage } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';
import type { CapabilityGraph } from '../planner/capability-graph.js';
import { planConversion, UnknownPresetError } from '../planner/plan.js';
import type { Clock } from '../system/clock.js';
import { deriveId } from '../system/derived-id.js';
import { outputBlobKey } from './blob-keys.js';
import { RecentDispatches } from './recent-dispatches.js';
import { ScanGate } from './scan-gate.js';

/** A conversion addressed without an event of its own (from a file's scan verdict). */
interface JobAddress {
  jobId: string;
  orgId: string;
  correlationId: string | null;
  /** The event being reacted to; command ids derive from it. */
  causeId: string;
}

function addressOf(envelope: EventEnvelope): JobAddress {
  return { jobId: envelope.aggregate_id, orgId: envelope.org_id, correlationId: envelope.correlation_id, causeId: envelope.id };
}

export interface ProcessManagerOptions {
  maxHops: number;
}

/**
 * How many dispatched tasks a process manager remembers: jobs whose plan's event arrives
 * within this many dispatches of the plan are not dispatched a second time.
 */
const rememberedDispatches = 10_000;

/**
 * Drives each conversion from request to one terminal event: plans it, hands each step to its
 * plugin's worker group as a task, records the output file and the completion, and cleans up
 * intermediate blobs. Every reaction is idempotent, because events may be delivered again.
 */
export class ConversionProcessManager {
  private readonly scanGate: ScanGate;
  /** Tasks this process appended: a step it handed out itself is not appended again on the plan's event. */
  private readonly dispatched = new RecentDispatches(rememberedDispatches);

  constructor(
    private readonly log: EventLog,
    private readonly commands: CommandHandler,
    private readonly graph: () => CapabilityGraph,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly options: ProcessManagerOptions,
  ) {
    this.scanGate = new ScanGate(commands);
  }

  /** Reacts to one event; `sequence` is its position in the events stream. */
  async react(envelope: EventEnvelope, sequence: number): Promise<void> {
    switch (envelope.type) {
      case 'ConversionRequested':
      case 'ConversionRetried':
        return this.proceed(addressOf(envelope), sequence);
      case 'FileScanned':
        return this.releaseAwaitingJobs(envelope, sequence);
      case 'ConversionPlanned':
        return this.dispatchCurrentStep(envelope, sequence);
      case 'ConversionStepCompleted':
        return this.advance(envelope, sequence);
      case 'ConversionCompleted':
      case 'ConversionFailed':
      case 'ConversionCancelled':
        return this.cleanUp(envelope, sequence);
      case 'MessageDeadLettered':
        return this.failDeadLetteredTask(envelope);
    }
  }

  /**
   * Takes a requested conversion as far as its source files' scan allows: planned and its first
   * step dispatched once every source is clean, failed when one is infected or rejected, and
   * otherwise marked as waiting (the file's verdict brings it back here).
   */
  private async proceed(job: JobAddress, sequence: number): Promise<void> {
    const state = await this.commands.stateAt(conversionAggregate, job.jobId, sequence);
    if (state.phase !== 'requested' && state.phase !== 'scanning') return;
    const gate = await this.scanGate.check({ ...job, fileIds: state.sourceFileIds });
    if (gate.kind === 'waiting') {
      if (state.phase === 'requested') await this.decideFor(job, { type: 'MarkScanAwaited', data: { file_ids: gate.fileIds } });
      return;
    }
    const command: ConversionCommand =
      gate.kind === 'blocked' ? { type: 'FailConversion', data: { error_code: gate.errorCode, error_message: gate.message } } : this.planOrFail(state);
    const decided = await this.decideFor(job, command);
    if (decided.state.phase === 'planned') await this.dispatch(job, decided.state);
  }

  /** A file's verdict arrived: every conversion that waited for it goes on (or fails). */
  private async releaseAwaitingJobs(envelope: EventEnvelope, sequence: number): Promise<void> {
    const file = await this.commands.stateAt(fileAggregate, envelope.aggregate_id, sequence);
    if (!file.exists) return;
    for (const jobId of file.awaitingJobs) {
      await this.proceed({ jobId, orgId: envelope.org_id, correlationId: jobId, causeId: deriveId(envelope.id, jobId) }, 0);
    }
  }

  private planOrFail(state: ConversionState): ConversionCommand {
    const fail = (error_code: string, error_message: string): ConversionCommand => ({ type: 'FailConversion', data: { error_code, error_message } });
    try {
      const steps = planConversion(this.graph(), {
        from: state.sourceFormat,
        to: state.targetFormat,
        options: state.options,
        maxHops: this.options.maxHops,
        inputCount: state.sourceFileIds.length,
        ...(state.preset === undefined ? {} : { preset: state.preset }),
      });
      return steps
        ? { type: 'PlanConversion', data: { steps } }
        : fail('unsupported_conversion', `no conversion from ${state.sourceFormat} to ${state.targetFormat}`);
    } catch (error) {
      if (error instanceof UnknownPresetError) return fail('invalid_parameter', error.message);
      throw error;
    }
  }

  /**
   * Planning dispatches the first step itself; this is for a plan whose dispatch was lost (the
   * process stopped in between, or another process planned it). By the time the plan's event
   * arrives every step may be done: then there is nothing to hand out. A step this process
   * handed out is not appended again: the log would only drop the repeat, at the cost of a write.
   */
  private async dispatchCurrentStep(envelope: EventEnvelope, sequence: number): Promise<void> {
    const state = await this.stateOf(envelope, sequence);
    if (isTerminal(state) || currentStepIndex(state) >= state.steps.length) return;
    // The plan's event may arrive while this process's own dispatch is still being written.
    if (await this.dispatched.appended(taskMessageId(envelope.aggregate_id, state))) return;
    await this.dispatch(addressOf(envelope), state);
  }

  private async advance(envelope: EventEnvelope, sequence: number): Promise<void> {
    const state = await this.stateOf(envelope, sequence);
    if (isTerminal(state)) return;
    if (currentStepIndex(state) < state.steps.length) return this.dispatch(addressOf(envelope), state);
    await this.complete(envelope, state);
  }

  private async complete(envelope: EventEnvelope, state: ConversionState): Promise<void> {
    const output = state.outputs.at(-1)!;
    const outputFileId = deriveId(envelope.aggregate_id, 'output-file');
    // An anonymous session's outputs go when its uploads go.
    const source = await this.commands.stateAt(fileAggregate, state.fileId, 0);
    const expiresAt = source.exists ? source.expiresAt : undefined;
    const register: FileCommand = {
      type: 'RegisterUpload',
      data: {
        ...output,
        name: outputName(state),
        visibility: 'private',
        uploaded_at: this.clock.now().toISOString(),
        source: { kind: 'conversion', job_id: envelope.aggregate_id, source_file_id: state.fileId },
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      },
    };
    await this.commands.handle(
      fileAggregate,
      { aggregateId: outputFileId, orgId: envelope.org_id, commandId: deriveId(envelope.id, 'register-output'), correlationId: envelope.correlation_id },
      register,
    );
    await this.decide(envelope, { type: 'CompleteConversion', data: { output_file_id: outputFileId } });
  }

  /** Appends the task for the step that has no output yet; its id makes a repeat a duplicate. */
  private async dispatch(job: Pick<JobAddress, 'jobId' | 'orgId'>, state: ConversionState): Promise<void> {
    const index = currentStepIndex(state);
    const step = state.steps[index]!;
    const input = index === 0 ? state.sourceBlobKey : state.outputs[index - 1]!.blob_key;
    const task: ConvertStepTask = {
      type: 'ConvertStep',
      data: {
        job_id: job.jobId,
        org_id: job.orgId,
        step_index: index,
        plugin: step.plugin,
        from: step.from,
        to: step.to,
        options: step.options,
        input_blob_key: input,
        ...(index === 0 && state.additionalSourceBlobKeys.length > 0 ? { additional_input_blob_keys: state.additionalSourceBlobKeys } : {}),
        output_name: outputName(state),
        ...(state.retries === 0 ? {} : { retry: state.retries }),
      },
    };
    const messageId = taskMessageId(job.jobId, state);
    await this.dispatched.track(messageId, async () => {
      await this.log.append('tasks', { subject: subjects.convertTask(step.plugin), messageId, payload: task });
    });
  }

  /** Intermediate outputs are only needed while the job runs; the final one is the output file. */
  private async cleanUp(envelope: EventEnvelope, sequence: number): Promise<void> {
    const state = await this.stateOf(envelope, sequence);
    const keep = envelope.type === 'ConversionCompleted' ? state.steps.length - 1 : -1;
    for (const [index] of state.steps.entries()) {
      if (index !== keep) await this.blobs.delete(outputBlobKey(envelope.org_id, envelope.aggregate_id, index));
    }
  }

  private async failDeadLetteredTask(envelope: EventEnvelope): Promise<void> {
    const parked = envelope.data as { stream: string; sequence: number };
    if (parked.stream !== 'tasks') return;
    const [message] = await this.log.readStream('tasks', parked.sequence - 1, 1);
    const task = taskOf(message, parked.sequence);
    if (!task) return;
    await this.commands.handle(
      conversionAggregate,
      { aggregateId: task.job_id, orgId: task.org_id, commandId: deriveId(envelope.id, 'fail-dead-lettered'), correlationId: task.job_id },
      { type: 'FailConversion', data: { error_code: 'dead_lettered', error_message: `step ${task.step_index} failed on every delivery` } },
    );
  }

  private async decide(envelope: EventEnvelope, command: ConversionCommand) {
    return this.decideFor(addressOf(envelope), command);
  }

  private async decideFor(job: JobAddress, command: ConversionCommand) {
    return this.commands.handle(
      conversionAggregate,
      { aggregateId: job.jobId, orgId: job.orgId, commandId: deriveId(job.causeId, command.type), correlationId: job.correlationId },
      command,
    );
  }

  private stateOf(envelope: EventEnvelope, sequence: number): Promise<ConversionState> {
    return this.commands.stateAt(conversionAggregate, envelope.aggregate_id, sequence);
  }
}

function taskOf(message: StoredMessage | undefined, sequence: number): ConvertStepTask['data'] | undefined {
  if (!message || message.sequence !== sequence) return undefined;
  const task = message.payload as ConvertStepTask;
  return task.type === 'ConvertStep' ? task.data : undefined;
}

/**
 * The de-duplication id of the task for the job's current step. A rerun's task must not pass
 * for a repeat of the first run's, which the log would drop.
 */
function taskMessageId(jobId: string, state: ConversionState): string {
  const run = state.retries === 0 ? '' : `:retry-${state.retries}`;
  return `${jobId}${run}:step-${currentStepIndex(state)}`;
}

/** The source's name with the target's extension: `holiday.png` → `holiday.webp`. */
function outputName(state: ConversionState): string {
  const base = state.sourceName.replace(/\.[^./\\]*$/, '') || 'output';
  return `${base}.${state.targetFormat}`;
}
