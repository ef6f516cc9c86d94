import type { EventEnvelope } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { evolveConversionJobRow, type ConversionJobRow } from '../../src/projections/conversion-job-row.js';
import { evolveFileRow, type FileRow } from '../../src/projections/file-row.js';

const at = '2026-11-25T10:00:00.000Z';
let counter = 0;
const envelope = (aggregate: 'file' | 'conversion', type: string, data: unknown): EventEnvelope => ({
  id: `e${++counter}`, type, version: 1, aggregate, aggregate_id: 'a1', org_id: 'org1', occurred_at: at, causation_id: null, correlation_id: null, data,
});

describe('files projection: sharing', () => {
  const uploaded = envelope('file', 'FileUploaded', {
    blob_key: 'k', size: 3, sha256: 'b'.repeat(64), format: 'png', mime: 'image/png', name: 'cat.png', visibility: 'private', uploaded_at: at, source: { kind: 'upload' },
  });
  const fold = (events: EventEnvelope[]) => events.reduce<FileRow | undefined>(evolveFileRow, undefined);
  const shared = (visibility: string, share_token_id: string | null, expires_at: string | null = null) =>
    envelope('file', 'FileShared', { visibility, share_token_id, expires_at, actor: 'u1', shared_at: at });

  it('starts with no share link', () => {
    expect(fold([uploaded])).toMatchObject({ visibility: 'private', share_token_id: null, share_expires_at: null });
  });

  it('records the visibility, the share token id and its expiry', () => {
    expect(fold([uploaded, shared('restricted', 's1', '2026-11-26T10:00:00.000Z')])).toMatchObject({
      visibility: 'restricted', share_token_id: 's1', share_expires_at: '2026-11-26T10:00:00.000Z',
    });
  });

  it('forgets the token when the file is made private', () => {
    expect(fold([uploaded, shared('public', 's1'), shared('private', null)])).toMatchObject({ visibility: 'private', share_token_id: null });
  });

  it('forgets the token when the visibility is changed by an update, so that no old link comes back', () => {
    const updated = envelope('file', 'FileUpdated', { changes: { visibility: 'public' }, actor: 'u1' });
    expect(fold([uploaded, shared('public', 's1'), updated])).toMatchObject({ visibility: 'public', share_token_id: null });
  });

  it('keeps the token through a rename', () => {
    const renamed = envelope('file', 'FileUpdated', { changes: { name: 'dog.png' }, actor: 'u1' });
    expect(fold([uploaded, shared('public', 's1'), renamed])).toMatchObject({ name: 'dog.png', share_token_id: 's1' });
  });
});

describe('conversion_jobs projection: retry', () => {
  const history = [
    envelope('conversion', 'ConversionRequested', { file_id: 'f1', source_name: 'a.png', source_format: 'png', source_blob_key: 'k', target_format: 'webp', options: {}, requested_at: at }),
    envelope('conversion', 'ConversionPlanned', { steps: [{ index: 0, from: 'png', to: 'webp', plugin: 'image', options: {} }] }),
    envelope('conversion', 'ConversionStepStarted', { step_index: 0, attempt: 1, started_at: '2026-11-25T10:00:01.000Z' }),
    envelope('conversion', 'ConversionFailed', { error_code: 'timeout', error_message: 'slow', failed_at: '2026-11-25T10:00:05.000Z' }),
  ];
  const fold = (events: EventEnvelope[]) => events.reduce<ConversionJobRow | undefined>(evolveConversionJobRow, undefined);
  const retried = envelope('conversion', 'ConversionRetried', { retry: 1, attempt_count: 2, actor: 'u1', retried_at: '2026-11-25T10:01:00.000Z' });

  it('queues the failed job again with the retry’s attempt count, its error, plan and times cleared', () => {
    expect(fold([...history, retried])).toMatchObject({
      id: 'a1', status: 'queued', attempt_count: 2, error_code: null, error_message: null, steps: [], progress_pct: 0,
      started_at: null, completed_at: null, duration_ms: null, queued_at: at,
    });
  });

  it('follows the rerun as it follows a new job', () => {
    const rerun = [
      envelope('conversion', 'ConversionPlanned', { steps: [{ index: 0, from: 'png', to: 'webp', plugin: 'image', options: {} }] }),
      envelope('conversion', 'ConversionStepStarted', { step_index: 0, attempt: 1, started_at: '2026-11-25T10:01:01.000Z' }),
    ];
    expect(fold([...history, retried, ...rerun])).toMatchObject({ status: 'processing', attempt_count: 2, started_at: '2026-11-25T10:01:01.000Z' });
  });
});
