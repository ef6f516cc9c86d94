import type { ConversionEvent, StoredBlob } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { conversionDecider } from '../../src/deciders/conversion-decider.js';
import { CommandRejectedError } from '../../src/deciders/decider.js';
import { deciderSpec, fixedNow } from '../support/decider-spec.js';

const at = fixedNow.toISOString();
const spec = deciderSpec(conversionDecider);

const request = { file_id: 'f1', source_name: 'cat.png', source_format: 'png', source_blob_key: 'org/o/files/f1', target_format: 'webp', options: { quality: 80 } };
const requested: ConversionEvent = { type: 'ConversionRequested', data: { ...request, requested_at: at } };
const step0 = { index: 0, from: 'png', to: 'webp', plugin: 'image', options: { quality: 80 } };
const planned: ConversionEvent = { type: 'ConversionPlanned', data: { steps: [step0] } };
const started: ConversionEvent = { type: 'ConversionStepStarted', data: { step_index: 0, attempt: 1, started_at: at } };
const output: StoredBlob = { blob_key: 'org/o/jobs/j/step-0', size: 10, sha256: 'a'.repeat(64), format: 'webp', mime: 'image/webp' };
const stepCompleted: ConversionEvent = { type: 'ConversionStepCompleted', data: { step_index: 0, output, completed_at: at } };
const completed: ConversionEvent = { type: 'ConversionCompleted', data: { output_file_id: 'f2', completed_at: at } };
const failed: ConversionEvent = { type: 'ConversionFailed', data: { error_code: 'invalid_input', error_message: 'bad', failed_at: at } };

describe('conversion decider', () => {
  it('records a request for a new job', () => {
    spec([]).when({ type: 'RequestConversion', data: request }).then([requested]);
  });

  it('ignores a repeated request for the same job', () => {
    spec([requested]).when({ type: 'RequestConversion', data: request }).then([]);
  });

  it('refuses commands for a job that was never requested', () => {
    spec([]).when({ type: 'PlanConversion', data: { steps: [step0] } }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('plans a requested job once', () => {
    spec([requested]).when({ type: 'PlanConversion', data: { steps: [step0] } }).then([planned]);
    spec([requested, planned]).when({ type: 'PlanConversion', data: { steps: [step0] } }).then([]);
  });

  it('starts the current step of a planned job', () => {
    spec([requested, planned]).when({ type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } }).then([started]);
  });

  it('does not start a step other than the current one', () => {
    spec([requested, planned]).when({ type: 'StartConversionStep', data: { step_index: 1, attempt: 1 } }).then([]);
  });

  it('records progress only while the step runs', () => {
    spec([requested, planned]).when({ type: 'ReportConversionProgress', data: { step_index: 0, progress_pct: 40 } }).then([]);
    spec([requested, planned, started])
      .when({ type: 'ReportConversionProgress', data: { step_index: 0, progress_pct: 40 } })
      .then([{ type: 'ConversionStepProgressed', data: { step_index: 0, progress_pct: 40 } }]);
  });

  it('completes a running step with its output', () => {
    spec([requested, planned, started]).when({ type: 'CompleteConversionStep', data: { step_index: 0, output } }).then([stepCompleted]);
  });

  it('ignores a second completion of the same step (a redelivered task)', () => {
    spec([requested, planned, started, stepCompleted]).when({ type: 'CompleteConversionStep', data: { step_index: 0, output } }).then([]);
  });

  it('fails the whole job when a step fails, with exactly one terminal event', () => {
    spec([requested, planned, started])
      .when({ type: 'FailConversionStep', data: { step_index: 0, error_code: 'invalid_input', error_message: 'bad' } })
      .then([{ type: 'ConversionStepFailed', data: { step_index: 0, error_code: 'invalid_input', error_message: 'bad', failed_at: at } }, failed]);
  });

  it('completes the job once every step has its output', () => {
    spec([requested, planned, started, stepCompleted]).when({ type: 'CompleteConversion', data: { output_file_id: 'f2' } }).then([completed]);
  });

  it('refuses to complete a job whose steps are not all done', () => {
    spec([requested, planned, started]).when({ type: 'CompleteConversion', data: { output_file_id: 'f2' } }).thenThrows(CommandRejectedError, 'conflict');
  });

  it('never changes a terminal job', () => {
    const history = [requested, planned, started, stepCompleted, completed];
    spec(history).when({ type: 'CancelConversion', data: {} }).then([]);
    spec(history).when({ type: 'FailConversion', data: { error_code: 'x', error_message: 'y' } }).then([]);
    spec([requested, failed]).when({ type: 'StartConversionStep', data: { step_index: 0, attempt: 2 } }).then([]);
  });

  it('cancels a job that has not ended', () => {
    spec([requested, planned]).when({ type: 'CancelConversion', data: {} }).then([{ type: 'ConversionCancelled', data: { cancelled_at: at } }]);
  });

  it('fails a requested job that cannot be planned', () => {
    spec([requested])
      .when({ type: 'FailConversion', data: { error_code: 'unsupported_conversion', error_message: 'no path' } })
      .then([{ type: 'ConversionFailed', data: { error_code: 'unsupported_conversion', error_message: 'no path', failed_at: at } }]);
  });
});
