import type { Meter } from '@opentelemetry/api';

export type StepOutcome = 'completed' | 'failed';

/** Records how each conversion step ended and how long it took, by plugin and pair. */
export type StepRecorder = (step: { plugin: string; from: string; to: string }, outcome: StepOutcome, seconds: number) => void;

/**
 * `conveyor_conversion_step_duration_seconds` once exported: its `_count` by `outcome` is how
 * many steps completed and failed, its buckets how long they took.
 */
export function stepDurations(meter: Meter): StepRecorder {
  const duration = meter.createHistogram('conveyor.conversion.step.duration', {
    unit: 's',
    description: 'Time a conversion step took on a worker, from its task to its recorded outcome.',
    advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] },
  });
  return (step, outcome, seconds) => duration.record(seconds, { plugin: step.plugin, from: step.from, to: step.to, outcome });
}
