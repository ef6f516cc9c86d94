import type { FileEvent } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { fileDecider } from '../../src/deciders/file-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

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
});
