import type { FileEvent, MetadataReport } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { CommandRejectedError } from '../../src/deciders/decider.js';
import { fileDecider } from '../../src/deciders/file-decider.js';
import { deciderSpec, fixedNow } from '../support/decider-spec.js';

const spec = deciderSpec(fileDecider);
const upload = {
  blob_key: 'org/o/files/f1',
  size: 3,
  sha256: 'b'.repeat(64),
  format: 'png',
  mime: 'image/png',
  name: 'cat.png',
  visibility: 'private' as const,
  uploaded_at: '2026-11-25T10:00:00.000Z',
  source: { kind: 'upload' as const },
};
const uploaded: FileEvent = { type: 'FileUploaded', data: upload };

describe('file decider', () => {
  it('registers a new upload', () => {
    spec([]).when({ type: 'RegisterUpload', data: upload }).then([uploaded]);
  });

  it('registers a file only once, so a redelivered command adds nothing', () => {
    spec([uploaded]).when({ type: 'RegisterUpload', data: upload }).then([]);
  });

  const at = fixedNow.toISOString();
  const clean = { verdict: 'clean' as const, engine: 'builtin', reason: '' };
  const scannedClean: FileEvent = { type: 'FileScanned', data: { ...clean, scanned_at: at } };
  const scannedInfected: FileEvent = { type: 'FileScanned', data: { verdict: 'infected', engine: 'clamav', reason: 'Eicar-Test-Signature', scanned_at: at } };
  const fromConversion: FileEvent = { type: 'FileUploaded', data: { ...upload, source: { kind: 'conversion', job_id: 'j0', source_file_id: 'f0' } } };

  it('records a conversion waiting for the scan once, and none once the verdict is in', () => {
    spec([uploaded]).when({ type: 'AwaitScan', data: { job_id: 'j1' } }).then([{ type: 'FileScanAwaited', data: { job_id: 'j1' } }]);
    spec([uploaded, { type: 'FileScanAwaited', data: { job_id: 'j1' } }]).when({ type: 'AwaitScan', data: { job_id: 'j1' } }).then([]);
    spec([uploaded, scannedClean]).when({ type: 'AwaitScan', data: { job_id: 'j2' } }).then([]);
    spec([fromConversion]).when({ type: 'AwaitScan', data: { job_id: 'j3' } }).then([]);
  });

  it('holds the conversion requested with an upload from its registration, so asking again records nothing', () => {
    const uploadedForJob: FileEvent = { type: 'FileUploaded', data: { ...upload, awaiting_job_id: 'j1' } };
    spec([uploadedForJob]).when({ type: 'AwaitScan', data: { job_id: 'j1' } }).then([]);
    spec([uploadedForJob]).when({ type: 'AwaitScan', data: { job_id: 'j2' } }).then([{ type: 'FileScanAwaited', data: { job_id: 'j2' } }]);
    spec([]).when({ type: 'RegisterUpload', data: { ...upload, awaiting_job_id: 'j1' } }).then([uploadedForJob]);
  });

  it('refuses to hold a conversion for a file that does not exist', () => {
    spec([]).when({ type: 'AwaitScan', data: { job_id: 'j1' } }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('takes the first scan verdict and ignores any later one', () => {
    spec([uploaded]).when({ type: 'RecordScanVerdict', data: clean }).then([scannedClean]);
    spec([uploaded, scannedInfected]).when({ type: 'RecordScanVerdict', data: clean }).then([]);
  });

  it('records a metadata probe per version, once', () => {
    const report: MetadataReport = { containers: ['PNG'], common: {}, sections: {}, editable: {} };
    spec([uploaded]).when({ type: 'RecordMetadataProbe', data: { version: 1, report } }).then([{ type: 'FileMetadataProbed', data: { version: 1, report, probed_at: at } }]);
    spec([uploaded, { type: 'FileMetadataProbed', data: { version: 1, report, probed_at: at } }]).when({ type: 'RecordMetadataProbe', data: { version: 1, report: null } }).then([]);
  });

  const edit = { anonymize: true, strip_all: false, set: {}, remove: {} };
  const requested = (copy?: string): FileEvent => ({
    type: 'FileMetadataWriteRequested',
    data: { request_id: 'r1', edit, ...(copy === undefined ? {} : { copy_file_id: copy }), requested_at: at },
  });
  const rewritten = { ...upload, blob_key: 'org/o/files/f1/v2', size: 4, sha256: 'c'.repeat(64) };
  const blob = { blob_key: rewritten.blob_key, size: 4, sha256: rewritten.sha256, format: 'png', mime: 'image/png' };

  const probeRequested = (version: number): FileEvent => ({ type: 'FileMetadataProbeRequested', data: { version, requested_at: at } });

  it('records a request for the current version’s metadata once, even before the scan, and none once it is probed', () => {
    const report: MetadataReport = { containers: ['PNG'], common: {}, sections: {}, editable: {} };
    spec([uploaded]).when({ type: 'RequestMetadataProbe', data: {} }).then([probeRequested(1)]);
    spec([uploaded, scannedClean, probeRequested(1)]).when({ type: 'RequestMetadataProbe', data: {} }).then([]);
    spec([uploaded, scannedClean, { type: 'FileMetadataProbed', data: { version: 1, report, probed_at: at } }]).when({ type: 'RequestMetadataProbe', data: {} }).then([]);
    const rewrittenInPlace: FileEvent = { type: 'FileMetadataWritten', data: { request_id: 'r1', blob, version: 2, replaced_blob_key: upload.blob_key, written_at: at } };
    spec([uploaded, scannedClean, probeRequested(1), requested(), rewrittenInPlace]).when({ type: 'RequestMetadataProbe', data: {} }).then([probeRequested(2)]);
  });

  it('refuses a metadata request on a quarantined or deleted file', () => {
    spec([uploaded, scannedInfected]).when({ type: 'RequestMetadataProbe', data: {} }).thenThrows(CommandRejectedError, 'file_quarantined');
    spec([uploaded, { type: 'FileDeleted', data: { actor: 'u1', deleted_at: at } }]).when({ type: 'RequestMetadataProbe', data: {} }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('accepts a metadata write once, and refuses one on a quarantined file or one not scanned yet', () => {
    spec([uploaded, scannedClean]).when({ type: 'WriteMetadata', data: { request_id: 'r1', edit } }).then([requested()]);
    spec([uploaded, scannedClean, requested()]).when({ type: 'WriteMetadata', data: { request_id: 'r1', edit } }).then([]);
    spec([uploaded, scannedInfected]).when({ type: 'WriteMetadata', data: { request_id: 'r1', edit } }).thenThrows(CommandRejectedError, 'file_quarantined');
    spec([uploaded]).when({ type: 'WriteMetadata', data: { request_id: 'r1', edit } }).thenThrows(CommandRejectedError, 'not_ready');
  });

  it('makes a rewrite in place the next version, and a copy’s the copy’s first', () => {
    spec([uploaded, requested()]).when({ type: 'CompleteMetadataWrite', data: { request_id: 'r1', blob } }).then([
      { type: 'FileMetadataWritten', data: { request_id: 'r1', blob, version: 2, replaced_blob_key: upload.blob_key, written_at: at } },
    ]);
    spec([uploaded, requested('copy1')]).when({ type: 'CompleteMetadataWrite', data: { request_id: 'r1', blob } }).then([
      { type: 'FileMetadataWritten', data: { request_id: 'r1', blob, copy_file_id: 'copy1', version: 1, written_at: at } },
    ]);
    const written: FileEvent = { type: 'FileMetadataWritten', data: { request_id: 'r1', blob, version: 2, written_at: at } };
    spec([uploaded, requested(), written]).when({ type: 'CompleteMetadataWrite', data: { request_id: 'r1', blob } }).then([]);
    spec([uploaded, requested(), written]).when({ type: 'FailMetadataWrite', data: { request_id: 'r1', error_code: 'x', error_message: 'y' } }).then([]);
    spec([uploaded, requested()]).when({ type: 'FailMetadataWrite', data: { request_id: 'r1', error_code: 'invalid_input', error_message: 'bad' } }).then([
      { type: 'FileMetadataWriteFailed', data: { request_id: 'r1', error_code: 'invalid_input', error_message: 'bad', failed_at: at } },
    ]);
  });
});
