import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from '../../src/blob-store/blob-key.js';
import { BlobTooLargeError, type BlobStore } from '../../src/blob-store/port.js';

export interface BlobStoreUnderTest {
  store: BlobStore;
  cleanup(): Promise<void>;
  /**
   * Whatever the adapter has staged for writes still in flight (temp files, unfinished multipart
   * uploads). When given, the contract checks that a failed write leaves none behind.
   */
  stagedWrites?(): Promise<string[]>;
}

const oneMebibyte = 2 ** 20;

/** A source of `chunks`, each its own chunk, so that writes cross several stream buffers. */
function sourceOf(...chunks: Buffer[]): Readable {
  return Readable.from(chunks, { objectMode: false });
}

/** A source that sends `bytesBeforeFailure` bytes and then fails, like an upload cut off mid-way. */
function failingSource(bytesBeforeFailure: number): Readable {
  return Readable.from(
    (async function* () {
      yield randomBytes(bytesBeforeFailure);
      throw new Error('connection reset by peer');
    })(),
  );
}

/** A source that never ends: a store that drains it instead of stopping at maxBytes hangs the test. */
function endlessSource(): Readable {
  const chunk = randomBytes(64 * 1024);
  return Readable.from(
    (async function* () {
      for (;;) yield chunk;
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The one contract every blob-store adapter passes (local disk, S3). It speaks only through the
 * `BlobStore` port; each test gets a fresh, empty store from `create`.
 *
 * @example
 * runBlobStoreContract('local disk', async () => {
 *   const root = await mkdtemp(join(tmpdir(), 'blobs-'));
 *   return { store: new LocalDiskBlobStore(root), cleanup: () => rm(root, { recursive: true }) };
 * });
 */
export function runBlobStoreContract(name: string, create: () => Promise<BlobStoreUnderTest>): void {
  describe(`blob store contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    let localFiles: string;

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
      localFiles = await mkdtemp(join(tmpdir(), 'conveyor-blob-contract-'));
    });

    afterEach(async () => {
      await subject?.cleanup();
      await rm(localFiles, { recursive: true, force: true });
    });

    async function expectNothingStaged(): Promise<void> {
      if (subject.stagedWrites) expect(await subject.stagedWrites()).toEqual([]);
    }

    it('stores a streamed blob whole and reports its size and sha256', async () => {
      const parts = [randomBytes(oneMebibyte), randomBytes(300_000), randomBytes(1)];
      const bytes = Buffer.concat(parts);
      const result = await store.write('org/o1/f1', sourceOf(...parts));
      expect(result).toEqual({ size: bytes.length, sha256: sha256Of(bytes) });
      expect((await readAll(await store.read('org/o1/f1'))).equals(bytes)).toBe(true);
      expect(await store.size('org/o1/f1')).toBe(bytes.length);
      await expectNothingStaged();
    });

    it('stores an empty blob', async () => {
      expect(await store.write('org/o1/empty', sourceOf())).toEqual({ size: 0, sha256: sha256Of(Buffer.alloc(0)) });
      expect(await store.size('org/o1/empty')).toBe(0);
    });

    it('replaces a blob written again under the same key', async () => {
      await store.write('org/o1/f1', sourceOf(Buffer.from('first')));
      await store.write('org/o1/f1', sourceOf(Buffer.from('second')));
      expect(await text(await store.read('org/o1/f1'))).toBe('second');
    });

    it('reads an inclusive byte range', async () => {
      await store.write('org/o1/f1', sourceOf(Buffer.from('0123456789')));
      expect(await text(await store.read('org/o1/f1', { start: 2, end: 5 }))).toBe('2345');
      expect(await text(await store.read('org/o1/f1', { start: 9, end: 9 }))).toBe('9');
    });

    it('reads a range that runs past the end up to the end, and one that starts past it as nothing', async () => {
      await store.write('org/o1/f1', sourceOf(Buffer.from('0123456789')));
      expect(await text(await store.read('org/o1/f1', { start: 8, end: 20 }))).toBe('89');
      expect(await text(await store.read('org/o1/f1', { start: 10, end: 20 }))).toBe('');
    });

    it('accepts a blob of exactly maxBytes', async () => {
      const result = await store.write('org/o1/f1', sourceOf(randomBytes(1000)), { maxBytes: 1000 });
      expect(result.size).toBe(1000);
    });

    it('stops a write once it passes maxBytes, with BlobTooLargeError, and keeps nothing', async () => {
      const writing = store.write('org/o1/f1', endlessSource(), { maxBytes: oneMebibyte });
      await expect(writing).rejects.toBeInstanceOf(BlobTooLargeError);
      await expect(writing).rejects.toMatchObject({ maxBytes: oneMebibyte });
      expect(await store.size('org/o1/f1')).toBeUndefined();
      await expectNothingStaged();
    });

    it('keeps nothing when the source fails mid-way, and reports the failure', async () => {
      await expect(store.write('org/o1/f1', failingSource(100_000))).rejects.toThrow('connection reset by peer');
      expect(await store.size('org/o1/f1')).toBeUndefined();
      await expectNothingStaged();
    });

    it('keeps nothing when the source fails while the write is still being set up', async () => {
      // A malformed upload fails within moments, while the store may still be opening its staged
      // file or starting its upload; whatever that setup creates must not outlive the failure.
      const failSoon = [(fail: () => void) => fail(), queueMicrotask, process.nextTick, setImmediate, (fail: () => void) => setTimeout(fail, 1)];
      for (let attempt = 0; attempt < 25; attempt += 1) {
        const source = new PassThrough();
        // As in the upload handler: the failure is reported by the write, not by the stream.
        source.on('error', () => undefined);
        const writing = store.write(`org/o1/f${attempt}`, source);
        failSoon[attempt % failSoon.length]!(() => source.destroy(new Error('connection reset by peer')));
        await expect(writing).rejects.toThrow('connection reset by peer');
        expect(await store.size(`org/o1/f${attempt}`)).toBeUndefined();
        await expectNothingStaged();
      }
    });

    it('keeps the previous blob when a write to its key fails', async () => {
      await store.write('org/o1/f1', sourceOf(Buffer.from('kept')));
      await expect(store.write('org/o1/f1', failingSource(10))).rejects.toThrow();
      expect(await text(await store.read('org/o1/f1'))).toBe('kept');
    });

    it('takes a local file in with writeFile and hands it back with downloadTo', async () => {
      const bytes = randomBytes(200_000);
      const original = join(localFiles, 'output.bin');
      await writeFile(original, bytes);
      expect(await store.writeFile('org/o1/out', original)).toEqual({ size: bytes.length, sha256: sha256Of(bytes) });

      const copy = join(localFiles, 'job', 'input.bin');
      await store.downloadTo('org/o1/out', copy);
      expect((await readFile(copy)).equals(bytes)).toBe(true);
    });

    it('keeps the blob intact when the downloaded copy is changed or the original deleted', async () => {
      const original = join(localFiles, 'output.bin');
      await writeFile(original, 'stored');
      await store.writeFile('org/o1/out', original);
      await rm(original);
      const copy = join(localFiles, 'input.bin');
      await store.downloadTo('org/o1/out', copy);
      await writeFile(copy, 'changed by a converter');
      expect(await text(await store.read('org/o1/out'))).toBe('stored');
    });

    it('deletes a blob, and deleting a missing blob is fine', async () => {
      await store.write('org/o1/f1', sourceOf(Buffer.from('bytes')));
      await store.delete('org/o1/f1');
      expect(await store.size('org/o1/f1')).toBeUndefined();
      await expect(store.delete('org/o1/f1')).resolves.toBeUndefined();
      await expect(store.delete('org/o1/never-written')).resolves.toBeUndefined();
    });

    it('answers undefined for the size of a missing blob', async () => {
      expect(await store.size('org/o1/missing')).toBeUndefined();
    });

    it('rejects reading a missing blob', async () => {
      await expect(store.read('org/o1/missing')).rejects.toThrow();
    });

    it.each(['../outside', 'org/../../outside', '/etc/passwd', 'org//f1', 'org/./f1', '', 'org\\..\\outside'])(
      'rejects the key %j, which is not a plain relative path',
      async (key) => {
        await expect(store.write(key, sourceOf(Buffer.from('x')))).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.read(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.size(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      },
    );

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
