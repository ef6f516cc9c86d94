import type { EventEnvelope } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { evolveConversionJobRow, type ConversionJobRow } from '../../src/projections/conversion-job-row.js';

let counter = 0;
const envelope = (type: string, data: unknown, occurred = '2026-11-25T10:00:00.000Z'): EventEnvelope => ({
  id: `e${++counter}`,
  type,
  version: 1,
  aggregate: 'conversion',
  aggregate_id: 'job1',
  org_id: 'org1',
  occurred_at: occurred,
  causation_id: null,
  correlation_id: 'job1',
  data,
});

const history = [
  envelope('ConversionRequested', {
    file_id: 'f1', source_name: 'a.png', source_format: 'png', source_blob_key: 'k', target_format: 'webp', options: { quality: 80 },
    requested_at: '2026-11-25T10:00:00.000Z',
  }),
  envelope('ConversionPlanned', { steps: [{ index: 0, from: 'png', to: 'tiff', plugin: 'image', options: {} }, { index: 1, from: 'tiff', to: 'webp', plugin: 'image', options: {} }] }),
  envelope('ConversionStepStarted', { step_index: 0, attempt: 1, started_at: '2026-11-25T10:00:01.000Z' }),
  envelope('ConversionStepProgressed', { step_index: 0, progress_pct: 50 }),
];
const fold = (events: EventEnvelope[], from?: ConversionJobRow) => events.reduce<ConversionJobRow | undefined>(evolveConversionJobRow, from);

describe('conversion_jobs projection', () => {
  it('queues a requested job with the documented fields', () => {
    expect(fold(history.slice(0, 1))).toMatchObject({
      id: 'job1', org_id: 'org1', file_id: 'f1', status: 'queued', progress_pct: 0, target_format: 'webp',
      options: { quality: 80 }, attempt_count: 0, error_code: null, queued_at: '2026-11-25T10:00:00.000Z', started_at: null,
    });
  });

  it('aggregates progress over the plan steps', () => {
    const row = fold(history)!;
    expect(row.status).toBe('processing');
    expect(row.attempt_count).toBe(1);
    expect(row.started_at).toBe('2026-11-25T10:00:01.000Z');
    expect(row.steps.map((step) => [step.status, step.progress_pct])).toEqual([['processing', 50], ['pending', 0]]);
    expect(row.progress_pct).toBe(25);
  });

  it('ends completed with the output file, 100 percent and the duration since queueing', () => {
    const row = fold([
      ...history,
      envelope('ConversionStepCompleted', { step_index: 0, output: {}, completed_at: '2026-11-25T10:00:02.000Z' }),
      envelope('ConversionCompleted', { output_file_id: 'f2', completed_at: '2026-11-25T10:00:03.500Z' }),
    ])!;
    expect(row).toMatchObject({ status: 'completed', progress_pct: 100, output_file_id: 'f2', duration_ms: 3500, completed_at: '2026-11-25T10:00:03.500Z' });
  });

  it('keeps the failure code and message', () => {
    const row = fold([...history, envelope('ConversionFailed', { error_code: 'invalid_input', error_message: 'not an image', failed_at: '2026-11-25T10:00:02.000Z' })])!;
    expect(row).toMatchObject({ status: 'failed', error_code: 'invalid_input', error_message: 'not an image', duration_ms: 2000 });
  });

  it('gives the same row when an event is applied twice', () => {
    const once = fold(history);
    expect(evolveConversionJobRow(once, history[3]!)).toEqual(once);
    expect(evolveConversionJobRow(once, history[0]!)).toEqual(once);
  });

  it('ignores progress that goes backwards and events after the end', () => {
    const ended = fold([...history, envelope('ConversionCancelled', { cancelled_at: '2026-11-25T10:00:05.000Z' })])!;
    expect(evolveConversionJobRow(ended, envelope('ConversionStepProgressed', { step_index: 0, progress_pct: 90 }))).toEqual(ended);
    const running = fold(history)!;
    expect(evolveConversionJobRow(running, envelope('ConversionStepProgressed', { step_index: 0, progress_pct: 10 }))!.steps[0]!.progress_pct).toBe(50);
  });
});
