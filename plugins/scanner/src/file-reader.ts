import { open, type FileHandle } from 'node:fs/promises';
import { throwIfCancelled } from './cancellation.js';

/** The size of one read while streaming a file: big enough to be fast, small enough to hold many at once. */
export const streamChunkBytes = 1024 * 1024;

/**
 * Files up to this size are read whole when opened, in one read, and checked from memory.
 * Each read costs a trip through the thread pool, and in a worker that is busy with other
 * messages each trip waits its turn: a small upload's half-dozen reads took longer than its
 * checks. A chunk of this size is held while streaming anyway.
 */
export const wholeFileBytes = streamChunkBytes;

/**
 * An open upload, read only in bounded pieces: a 500 MB file is never held whole, so every
 * check reads what it needs (the head, the tail, a central directory) or streams the rest.
 * A small file is held whole from the start (see `wholeFileBytes`).
 */
export class ScannedFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    /** The whole file, when it is small; undefined: read from `handle` as asked. */
    private readonly contents: Buffer | undefined,
  ) {}

  static async open(path: string): Promise<ScannedFile> {
    const handle = await open(path, 'r');
    try {
      // The size and, should the file be small, all of it: two reads side by side, one wait.
      const buffer = Buffer.allocUnsafe(wholeFileBytes);
      const [{ size }, { bytesRead }] = await Promise.all([handle.stat(), handle.read(buffer, 0, wholeFileBytes, 0)]);
      const whole = size <= wholeFileBytes && bytesRead === size;
      return new ScannedFile(handle, size, whole ? buffer.subarray(0, size) : undefined);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Up to `length` bytes from `position`; fewer at the end of the file. */
  async read(position: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - position));
    if (this.contents) return this.contents.subarray(position, position + wanted);
    const buffer = Buffer.alloc(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(buffer, filled, wanted - filled, position + filled);
      if (bytesRead === 0) break; // the file shrank under us: what was read is all there is
      filled += bytesRead;
    }
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  head(length: number): Promise<Buffer> {
    return this.read(0, length);
  }

  tail(length: number): Promise<{ bytes: Buffer; offset: number }> {
    const offset = Math.max(0, this.size - length);
    return this.read(offset, length).then((bytes) => ({ bytes, offset }));
  }

  /**
   * The bytes from `start` to `end`, one chunk at a time, checking `signal` before each read.
   * A chunk is only valid until the next one is asked for.
   */
  async *chunks(signal: AbortSignal, start = 0, end = this.size): AsyncGenerator<Buffer> {
    if (this.contents) {
      throwIfCancelled(signal);
      if (end > start) yield this.contents.subarray(start, end);
      throwIfCancelled(signal);
      return;
    }
    const buffer = Buffer.alloc(Math.min(streamChunkBytes, Math.max(1, end - start)));
    for (let position = start; position < end; ) {
      throwIfCancelled(signal);
      const { bytesRead } = await this.handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
    throwIfCancelled(signal);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
