import type { FileEvent } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { CommandRejectedError } from '../../src/deciders/decider.js';
import { fileDecider } from '../../src/deciders/file-decider.js';
import { deciderSpec, fixedNow } from '../support/decider-spec.js';

/** The file decider for uploads streamed in two calls: announced first, bytes after (or never). */
const spec = deciderSpec(fileDecider);
const at = fixedNow.toISOString();

const announcement = { name: 'cat.png', declared_size: 3, content_type: 'image/png' };
const initiated: FileEvent = { type: 'FileUploadInitiated', data: { ...announcement, initiated_at: at } };
const aborted: FileEvent = { type: 'FileUploadAborted', data: { actor: 'u1', aborted_at: at } };
const upload = {
  blob_key: 'org/o/uploads/f1/a1',
  size: 3,
  sha256: 'b'.repeat(64),
  format: 'png',
  mime: 'image/png',
  name: 'cat.png',
  visibility: 'private' as const,
  uploaded_at: at,
  source: { kind: 'upload' as const },
  throughput_bytes_per_s: 1500,
};
const uploaded: FileEvent = { type: 'FileUploaded', data: upload };

describe('file decider: uploads announced before their bytes', () => {
  it('opens a pending upload, stamped with the decision time', () => {
    spec([]).when({ type: 'InitiateUpload', data: announcement }).then([initiated]);
  });

  it('opens an upload only once, so a redelivered command adds nothing', () => {
    spec([initiated]).when({ type: 'InitiateUpload', data: announcement }).then([]);
  });

  it('does not reopen an upload that was aborted or completed', () => {
    spec([initiated, aborted]).when({ type: 'InitiateUpload', data: announcement }).then([]);
    spec([initiated, uploaded]).when({ type: 'InitiateUpload', data: announcement }).then([]);
  });

  it('completes a pending upload when its bytes are registered', () => {
    spec([initiated]).when({ type: 'RegisterUpload', data: upload }).then([uploaded]);
  });

  it('registers the bytes only once: a second upload to a completed file adds nothing', () => {
    spec([initiated, uploaded]).when({ type: 'RegisterUpload', data: { ...upload, sha256: 'c'.repeat(64) } }).then([]);
  });

  it('refuses bytes for an upload that was aborted', () => {
    spec([initiated, aborted]).when({ type: 'RegisterUpload', data: upload }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('aborts a pending upload', () => {
    spec([initiated]).when({ type: 'AbortUpload', data: { actor: 'u1' } }).then([aborted]);
  });

  it('aborts once, so a repeated abort adds nothing', () => {
    spec([initiated, aborted]).when({ type: 'AbortUpload', data: { actor: 'u1' } }).then([]);
  });

  it('refuses to abort an upload that is already complete', () => {
    spec([initiated, uploaded]).when({ type: 'AbortUpload', data: { actor: 'u1' } }).thenThrows(CommandRejectedError, 'conflict');
  });

  it('refuses to abort an upload that was never opened', () => {
    spec([]).when({ type: 'AbortUpload', data: { actor: 'u1' } }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('expires a pending upload as it would the finished file, and only once', () => {
    const expired: FileEvent = { type: 'FileExpired', data: { expired_at: at } };
    spec([initiated]).when({ type: 'ExpireFile', data: {} }).then([expired]);
    spec([initiated, expired]).when({ type: 'ExpireFile', data: {} }).then([]);
    spec([initiated, expired]).when({ type: 'RegisterUpload', data: upload }).thenThrows(CommandRejectedError, 'not_found');
  });

  it('does nothing else with a file whose bytes have not arrived', () => {
    spec([initiated]).when({ type: 'AwaitScan', data: { job_id: 'j1' } }).thenThrows(CommandRejectedError, 'not_found');
    spec([initiated]).when({ type: 'DeleteFile', data: { actor: 'u1' } }).thenThrows(CommandRejectedError, 'not_found');
  });
});
