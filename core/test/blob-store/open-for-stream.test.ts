import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openForStream } from '../../src/blob-store/open-for-stream.js';

describe('openForStream', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'conveyor-open-for-stream-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('creates the file before any byte is piped', async () => {
    const path = join(folder, 'staged');
    const file = await openForStream(new PassThrough(), () => open(path, 'wx'));
    try {
      expect((await stat(path)).size).toBe(0);
    } finally {
      await file.close();
    }
  });

  it('releases the source when the file cannot be opened', async () => {
    const source = new PassThrough();
    await expect(openForStream(source, () => open(folder, 'w'))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(source.destroyed).toBe(true);
  });
});
