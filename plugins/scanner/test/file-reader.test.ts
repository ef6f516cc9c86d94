import { describe, expect, it } from 'vitest';
import { ScannedFile, wholeFileBytes } from '../src/file-reader.js';
import { fixtureFolder, writeFixture } from './helpers.js';

const folder = fixtureFolder();

/** Bytes that differ from position to position, so that a read from the wrong place shows. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + (index >> 8)) & 0xff;
  return bytes;
}

async function readBack(file: ScannedFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.chunks(new AbortController().signal)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('a scanned file', () => {
  // At and below the limit the file is held whole; above it, read as asked: both must read alike.
  it.each([
    ['empty', 0],
    ['small', 5000],
    ['held whole at the limit', wholeFileBytes],
    ['streamed just past the limit', wholeFileBytes + 1],
    ['streamed over several chunks', 2 * wholeFileBytes + 17],
  ])('reads a %s file as it lies on disk', async (_, length) => {
    const bytes = patterned(length);
    const file = await ScannedFile.open(writeFixture(folder, `file-${length}.bin`, bytes));
    try {
      expect(file.size).toBe(length);
      expect((await file.head(100)).equals(bytes.subarray(0, 100))).toBe(true);
      expect((await file.read(length - 50, 100)).equals(bytes.subarray(length - 50))).toBe(true);
      const tail = await file.tail(64);
      expect(tail.offset).toBe(Math.max(0, length - 64));
      expect(tail.bytes.equals(bytes.subarray(tail.offset))).toBe(true);
      expect((await readBack(file)).equals(bytes)).toBe(true);
      const middle = Math.floor(length / 3);
      const part: Buffer[] = [];
      for await (const chunk of file.chunks(new AbortController().signal, middle, middle + 1000)) part.push(Buffer.from(chunk));
      expect(Buffer.concat(part).equals(bytes.subarray(middle, Math.min(length, middle + 1000)))).toBe(true);
    } finally {
      await file.close();
    }
  });

  it('stops a read of a file held whole once cancelled', async () => {
    const file = await ScannedFile.open(writeFixture(folder, 'cancelled.bin', patterned(1000)));
    const controller = new AbortController();
    controller.abort();
    try {
      const reading = (async () => {
        for await (const chunk of file.chunks(controller.signal)) void chunk;
      })();
      await expect(reading).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await file.close();
    }
  });
});
