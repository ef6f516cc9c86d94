import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskBlobStore } from '../../src/blob-store/local-disk-blob-store.js';
import { readBlobImageDimensions } from '../../src/formats/blob-image-dimensions.js';
import { imageDimensionsHeadLength } from '../../src/formats/image-dimensions.js';

/** A PNG signature and IHDR, followed by `padding` bytes standing in for the image data. */
const pngWithBody = (width: number, height: number, padding: number) => {
  const head = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(head);
  head.write('IHDR', 12, 'latin1');
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return Buffer.concat([head, Buffer.alloc(padding, 0xab)]);
};

describe('readBlobImageDimensions', () => {
  let root: string;
  let store: LocalDiskBlobStore;
  const ranges: Array<{ start: number; end: number } | undefined> = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'conveyor-dimensions-'));
    store = new LocalDiskBlobStore(root);
    ranges.length = 0;
    const read = store.read.bind(store);
    store.read = (key, range) => {
      ranges.push(range);
      return read(key, range);
    };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads the dimensions from the first bytes of a large blob only', async () => {
    const blob = pngWithBody(1280, 720, 3 * imageDimensionsHeadLength);
    await store.write('org/o1/big', Readable.from([blob]));
    expect(await readBlobImageDimensions(store, { key: 'org/o1/big', format: 'png', size: blob.length })).toEqual({ width: 1280, height: 720 });
    expect(ranges).toEqual([{ start: 0, end: imageDimensionsHeadLength - 1 }]);
  });

  it('reads a blob smaller than the head whole', async () => {
    const blob = pngWithBody(16, 9, 10);
    await store.write('org/o1/small', Readable.from([blob]));
    expect(await readBlobImageDimensions(store, { key: 'org/o1/small', format: 'png', size: blob.length })).toEqual({ width: 16, height: 9 });
    expect(ranges).toEqual([{ start: 0, end: blob.length - 1 }]);
  });

  it('does not read a blob whose format has no header it knows', async () => {
    expect(await readBlobImageDimensions(store, { key: 'org/o1/doc', format: 'pdf', size: 1000 })).toBeUndefined();
    expect(ranges).toEqual([]);
  });
});
