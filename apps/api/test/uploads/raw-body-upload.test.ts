import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LocalDiskBlobStore } from '@conveyor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveRawUpload } from '../../src/upload/raw-body-upload.js';

describe('receiving a raw upload body', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'conveyor-raw-upload-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('answers invalid_parameter, and stays up, when the client goes away before the store has opened its file', async () => {
    const blobs = new LocalDiskBlobStore(root);
    const request = new PassThrough();
    request.write(Buffer.from('the first bytes'));
    const receiving = receiveRawUpload(request as unknown as IncomingMessage, { blobs, blobKey: 'org/o1/f1', maxBytes: 1_000_000 });
    // The store is still creating its staging folder and opening its file: nothing listens to the body yet.
    request.destroy(new Error('socket hang up'));

    await expect(receiving).rejects.toMatchObject({ code: 'invalid_parameter', message: 'the client went away before the upload ended' });
    expect(await blobs.size('org/o1/f1')).toBeUndefined();
    expect(await readdir(join(root, '.incoming')).catch(() => [])).toEqual([]);
  });
});
