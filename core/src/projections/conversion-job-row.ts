import type { ConversionEvent, EventEnvelope, JobStatus } from '@conveyor/contracts';
import type { JobStepRow } from '../database/read-model-tables.js';

/** A conversion_jobs row as the projection computes it (timestamps as ISO strings). */
export interface ConversionJobRow {
  id: string;
  org_id: string;
  file_id: string;
  status: JobStatus;
  progress_pct: number;
  source_format: string;
  target_format: string;
  options: Record<string, unknown>;
  steps: JobStepRow[];
  attempt_count: number;
  error_code: string | null;
  error_message: string | null;
  queued_at: string;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  output_file_id: string | null;
  deleted: boolean;
}

const terminal: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Job statuses that still hold one of the org's concurrent-job slots. */
export const activeJobStatuses: readonly JobStatus[] = ['queued', 'scanning', 'processing'];

/** The events after which a job's row is finished (completed, failed, cancelled) or gone: what a wait for a job to settle wakes on. */
export const jobSettlingEvents: ReadonlySet<ConversionEvent['type']> = new Set(['ConversionCompleted', 'ConversionFailed', 'ConversionCancelled', 'ConversionDeleted']);

/** Overall progress: completed steps count whole, the running one by its own percentage. */
function overallProgress(steps: JobStepRow[]): number {
  if (steps.length === 0) return 0;
  const sum = steps.reduce((total, step) => total + (step.status === 'completed' ? 100 : step.progress_pct), 0);
  return Math.floor(sum / steps.length);
}

function durationMs(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}

function updateStep(row: ConversionJobRow, index: number, change: Partial<JobStepRow>): JobStepRow[] {
  return row.steps.map((step) => (step.index === index ? { ...step, ...change } : step));
}

/** A retried job is queued again under its id: the failed run's plan, error and times are cleared. */
function retriedRow(row: ConversionJobRow, attemptCount: number): ConversionJobRow {
  return {
    ...row,
    status: 'queued',
    progress_pct: 0,
    steps: [],
    attempt_count: Math.max(row.attempt_count, attemptCount),
    error_code: null,
    error_message: null,
    started_at: null,
    completed_at: null,
    duration_ms: null,
  };
}

/**
 * Applies one event of a conversion to its row. Pure; applying an event twice gives the same
 * row, so a replay or a redelivery cannot skew it.
 */
export function evolveConversionJobRow(row: ConversionJobRow | undefined, envelope: EventEnvelope): ConversionJobRow | undefined {
  const event = { type: envelope.type, data: envelope.data } as ConversionEvent;
  if (event.type === 'ConversionRequested') {
    return (
      row ?? {
        id: envelope.aggregate_id,
        org_id: envelope.org_id,
        file_id: event.data.file_id,
        status: 'queued',
        progress_pct: 0,
        source_format: event.data.source_format,
        target_format: event.data.target_format,
        options: event.data.options,
        steps: [],
        attempt_count: 0,
        error_code: null,
        error_message: null,
        queued_at: event.data.requested_at,
        started_at: null,
        completed_at: null,
        duration_ms: null,
        output_file_id: null,
        deleted: false,
      }
    );
  }
  if (event.type === 'ConversionDeleted') return row && { ...row, deleted: true };
  if (event.type === 'ConversionRetried') return row && retriedRow(row, event.data.attempt_count);
  if (!row || terminal.has(row.status)) return row;
  switch (event.type) {
    case 'ConversionScanAwaited':
      return row.status === 'queued' ? { ...row, status: 'scanning' } : row;
    case 'ConversionPlanned':
      return {
        ...row,
        status: row.status === 'scanning' ? 'queued' : row.status,
        steps: event.data.steps.map((step) => ({
          index: step.index,
          from: step.from,
          to: step.to,
          plugin: step.plugin,
          status: 'pending',
          progress_pct: 0,
          started_at: null,
          completed_at: null,
        })),
      };
    case 'ConversionStepStarted': {
      const steps = updateStep(row, event.data.step_index, { status: 'processing', started_at: event.data.started_at, progress_pct: 0 });
      return {
        ...row,
        status: 'processing',
        steps,
        progress_pct: overallProgress(steps),
        started_at: row.started_at ?? event.data.started_at,
        attempt_count: Math.max(row.attempt_count, event.data.attempt),
      };
    }
    case 'ConversionStepProgressed': {
      const current = row.steps.find((step) => step.index === event.data.step_index);
      if (!current || current.status !== 'processing') return row;
      const steps = updateStep(row, event.data.step_index, { progress_pct: Math.max(current.progress_pct, Math.round(event.data.progress_pct)) });
      return { ...row, steps, progress_pct: overallProgress(steps) };
    }
    case 'ConversionStepCompleted': {
      const steps = updateStep(row, event.data.step_index, { status: 'completed', progress_pct: 100, completed_at: event.data.completed_at });
      return { ...row, steps, progress_pct: overallProgress(steps) };
    }
    case 'ConversionStepFailed':
      return { ...row, steps: updateStep(row, event.data.step_index, { status: 'failed', completed_at: event.data.failed_at }) };
    case 'ConversionCompleted':
      return {
        ...row,
        status: 'completed',
        progress_pct: 100,
        output_file_id: event.data.output_file_id,
        completed_at: event.data.completed_at,
        duration_ms: durationMs(row.queued_at, event.data.completed_at),
      };
    case 'ConversionFailed':
      return {
        ...row,
        status: 'failed',
        error_code: event.data.error_code,
        error_message: event.data.error_message,
        completed_at: event.data.failed_at,
        duration_ms: durationMs(row.queued_at, event.data.failed_at),
      };
    case 'ConversionCancelled':
      return { ...row, status: 'cancelled', completed_at: event.data.cancelled_at, duration_ms: durationMs(row.queued_at, event.data.cancelled_at) };
  }
}
