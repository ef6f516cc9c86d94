import type { ConversionEvent } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { conversionDecider } from '../../src/deciders/conversion-decider.js';
import { CommandRejectedError } from '../../src/deciders/decider.js';
import { deciderSpec, fixedNow } from '../support/decider-spec.js';

const at = fixedNow.toISOString();
const spec = deciderSpec(conversionDecider);

const request = { file_id: 'f1', source_name: 'cat.png', source_format: 'png', source_blob_key: 'org/o/files/f1', target_format: 'webp', options: {} };
const requested: ConversionEvent = { type: 'ConversionRequested', data: { ...request, requested_at: at } };
const step0 = { index: 0, from: 'png', to: 'webp', plugin: 'image', options: {} };
const planned: ConversionEvent = { type: 'ConversionPlanned', data: { steps: [step0] } };
const startedTwice: ConversionEvent = { type: 'ConversionStepStarted', data: { step_index: 0, attempt: 2, started_at: at } };
const failed: ConversionEvent = { type: 'ConversionFailed', data: { error_code: 'conversion_failed', error_message: 'crashed', failed_at: at } };
const retried = (retry: number, attempt_count: number): ConversionEvent => ({ type: 'ConversionRetried', data: { retry, attempt_count, actor: 'u1', retried_at: at } });
const retry = { type: 'RetryConversion' as const, data: { actor: 'u1' } };

describe('conversion decider: retrying a failed job', () => {
  it('runs a failed job again with one attempt more than its steps made', () => {
    spec([requested, planned, startedTwice, failed]).when(retry).then([retried(1, 3)]);
  });

  it('counts the first attempt of a job that failed before any step started', () => {
    spec([requested, failed]).when(retry).then([retried(1, 1)]);
  });

  it('numbers a second retry after the first, and counts from the retried attempt', () => {
    spec([requested, planned, startedTwice, failed, retried(1, 3), failed]).when(retry).then([retried(2, 4)]);
  });

  it('plans a retried job afresh, as a new request', () => {
    spec([requested, planned, failed, retried(1, 1)]).when({ type: 'PlanConversion', data: { steps: [step0] } }).then([planned]);
  });

  it('starts the first step of a retried job again, though its first run started it', () => {
    spec([requested, planned, startedTwice, failed, retried(1, 3), planned])
      .when({ type: 'StartConversionStep', data: { step_index: 0, attempt: 1 } })
      .then([{ type: 'ConversionStepStarted', data: { step_index: 0, attempt: 1, started_at: at } }]);
  });

  it('refuses to retry a job that has not failed: conflict', () => {
    spec([requested]).when(retry).thenThrows(CommandRejectedError, 'conflict');
    spec([requested, planned, startedTwice]).when(retry).thenThrows(CommandRejectedError, 'conflict');
    spec([requested, { type: 'ConversionCancelled', data: { cancelled_at: at } }]).when(retry).thenThrows(CommandRejectedError, 'conflict');
    spec([requested, failed, retried(1, 1)]).when(retry).thenThrows(CommandRejectedError, 'conflict');
  });

  it('refuses to retry a deleted job, or one never requested: not found', () => {
    spec([requested, failed, { type: 'ConversionDeleted', data: { actor: 'u1', deleted_at: at } }]).when(retry).thenThrows(CommandRejectedError, 'not_found');
    spec([]).when(retry).thenThrows(CommandRejectedError, 'not_found');
  });
});
