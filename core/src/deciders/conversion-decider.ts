import type { ConversionCommand, ConversionEvent, PlanStep, StoredBlob } from '@conveyor/contracts';
import { CommandRejectedError, type Decider } from './decider.js';

export type ConversionPhase = 'none' | 'requested' | 'scanning' | 'planned' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface ConversionState {
  phase: ConversionPhase;
  fileId: string;
  sourceName: string;
  sourceFormat: string;
  sourceBlobKey: string;
  /** Files the first step takes with the source, in order (a PDF merge). */
  additionalSourceBlobKeys: string[];
  /** Every file the conversion reads: the source, then the additional ones. */
  sourceFileIds: string[];
  targetFormat: string;
  preset: string | undefined;
  options: Record<string, unknown>;
  steps: PlanStep[];
  /** Output of each completed step, by step index. */
  outputs: StoredBlob[];
  /** Highest attempt started for each step, by step index. */
  attempts: number[];
  /** Removed from the org's list (a running job is cancelled first). */
  deleted: boolean;
  /** How many times the failed job was run again; 0 for its first run. */
  retries: number;
  /** The highest attempt of any run: a step's redelivery or a retry adds one. */
  attemptCount: number;
}

const terminalPhases: ReadonlySet<ConversionPhase> = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(state: ConversionState): boolean {
  return terminalPhases.has(state.phase);
}

/** The step that runs next (or is running): the first without an output. */
export function currentStepIndex(state: ConversionState): number {
  return state.outputs.length;
}

/**
 * The life of one conversion job. Commands that arrive late or twice (redelivered tasks,
 * progress after the end) decide nothing rather than fail, because workers and the process
 * manager retry; a terminal job never changes again.
 */
export const conversionDecider: Decider<ConversionState, ConversionCommand, ConversionEvent> = {
  initialState: () => ({
    phase: 'none',
    fileId: '',
    sourceName: '',
    sourceFormat: '',
    sourceBlobKey: '',
    additionalSourceBlobKeys: [],
    sourceFileIds: [],
    targetFormat: '',
    preset: undefined,
    options: {},
    steps: [],
    outputs: [],
    attempts: [],
    deleted: false,
    retries: 0,
    attemptCount: 0,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ConversionRequested':
        return {
          ...state,
          phase: 'requested',
          fileId: event.data.file_id,
          sourceName: event.data.source_name,
          sourceFormat: event.data.source_format,
          sourceBlobKey: event.data.source_blob_key,
          additionalSourceBlobKeys: (event.data.additional_sources ?? []).map((source) => source.blob_key),
          sourceFileIds: [event.data.file_id, ...(event.data.additional_sources ?? []).map((source) => source.file_id)],
          targetFormat: event.data.target_format,
          preset: event.data.preset,
          options: event.data.options,
        };
      case 'ConversionScanAwaited':
        return { ...state, phase: 'scanning' };
      case 'ConversionPlanned':
        return { ...state, phase: 'planned', steps: event.data.steps };
      case 'ConversionStepStarted': {
        const attempts = [...state.attempts];
        attempts[event.data.step_index] = Math.max(attempts[event.data.step_index] ?? 0, event.data.attempt);
        return { ...state, phase: 'processing', attempts, attemptCount: Math.max(state.attemptCount, event.data.attempt) };
      }
      case 'ConversionStepProgressed':
        return state;
      case 'ConversionStepCompleted': {
        const outputs = [...state.outputs];
        outputs[event.data.step_index] = event.data.output;
        return { ...state, outputs };
      }
      case 'ConversionStepFailed':
        return state;
      case 'ConversionCompleted':
        return { ...state, phase: 'completed' };
      case 'ConversionFailed':
        return { ...state, phase: 'failed' };
      case 'ConversionCancelled':
        return { ...state, phase: 'cancelled' };
      case 'ConversionDeleted':
        return { ...state, deleted: true };
      case 'ConversionRetried':
        // Planned again from the request: the last run's plan and outputs are gone with its failure.
        return { ...state, phase: 'requested', steps: [], outputs: [], attempts: [], retries: event.data.retry, attemptCount: event.data.attempt_count };
    }
  },

  decide(command, state, { now }) {
    const at = now.toISOString();
    if (command.type === 'RequestConversion') {
      return state.phase === 'none' ? [{ type: 'ConversionRequested', data: { ...command.data, requested_at: at } }] : [];
    }
    if (state.phase === 'none') throw new CommandRejectedError('not_found', `${command.type}: no such conversion`);
    if (command.type === 'DeleteConversion') {
      if (state.deleted) return [];
      const deleted: ConversionEvent = { type: 'ConversionDeleted', data: { ...command.data, deleted_at: at } };
      return isTerminal(state) ? [deleted] : [{ type: 'ConversionCancelled', data: { cancelled_at: at } }, deleted];
    }
    if (command.type === 'RetryConversion') return decideRetry(command.data, state, at);
    if (isTerminal(state)) return [];
    const step = currentStepIndex(state);

    switch (command.type) {
      case 'MarkScanAwaited':
        return state.phase === 'requested' ? [{ type: 'ConversionScanAwaited', data: command.data }] : [];
      case 'PlanConversion':
        return state.phase === 'requested' || state.phase === 'scanning' ? [{ type: 'ConversionPlanned', data: command.data }] : [];
      case 'FailConversion':
        return [{ type: 'ConversionFailed', data: { ...command.data, failed_at: at } }];
      case 'CancelConversion':
        return [{ type: 'ConversionCancelled', data: { cancelled_at: at } }];
      case 'StartConversionStep':
        if (state.phase === 'requested' || state.phase === 'scanning' || command.data.step_index !== step) return [];
        return [{ type: 'ConversionStepStarted', data: { ...command.data, started_at: at } }];
      case 'ReportConversionProgress':
        if (state.phase !== 'processing' || command.data.step_index !== step) return [];
        return [{ type: 'ConversionStepProgressed', data: command.data }];
      case 'CompleteConversionStep':
        if (state.phase !== 'processing' || command.data.step_index !== step) return [];
        return [{ type: 'ConversionStepCompleted', data: { ...command.data, completed_at: at } }];
      case 'FailConversionStep':
        if (command.data.step_index !== step) return [];
        return [
          { type: 'ConversionStepFailed', data: { ...command.data, failed_at: at } },
          { type: 'ConversionFailed', data: { error_code: command.data.error_code, error_message: command.data.error_message, failed_at: at } },
        ];
      case 'CompleteConversion':
        if (state.steps.length === 0 || state.outputs.length < state.steps.length) {
          throw new CommandRejectedError('conflict', 'CompleteConversion before every step completed');
        }
        return [{ type: 'ConversionCompleted', data: { ...command.data, completed_at: at } }];
    }
  },
};

/** Only a failed job runs again; a deleted one is gone, and any other is still running or meant to be as it is. */
function decideRetry(command: { actor: string }, state: ConversionState, at: string): ConversionEvent[] {
  if (state.deleted) throw new CommandRejectedError('not_found', 'RetryConversion: the conversion was deleted');
  if (state.phase !== 'failed') throw new CommandRejectedError('conflict', `RetryConversion: only a failed conversion can be retried, this one is ${state.phase}`);
  return [{ type: 'ConversionRetried', data: { retry: state.retries + 1, attempt_count: state.attemptCount + 1, actor: command.actor, retried_at: at } }];
}
