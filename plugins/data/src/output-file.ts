import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Where a writer puts its bytes: the output file, or memory for a template. */
export interface Sink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** The underlying stream, for libraries that write (and end) on their own: exceljs. */
  readonly stream: Writable;
}

/**
 * The conversion's output, written straight to `outputPath`: either `close()`d complete or
 * `discard()`ed, which leaves no file behind and nothing writing to it afterwards.
 */
export class OutputFile implements Sink {
  private failure: Error | undefined;

  private constructor(
    private readonly path: string,
    readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  static open(path: string): OutputFile {
    return new OutputFile(path, createWriteStream(path));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        this.stream.off('drain', settle).off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      this.stream.on('drain', settle).on('error', settle);
    });
  }

  /** Ends the file (unless a library already did) and waits until it is on disk. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    if (!this.stream.closed) await new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    await rm(this.path, { force: true });
  }
}

/** A sink that keeps everything in memory (templates). */
export class MemorySink implements Sink {
  private readonly chunks: Buffer[] = [];
  readonly stream: Writable;

  constructor() {
    const chunks = this.chunks;
    // exceljs pipes its zip into this stream and ends it.
    this.stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  }

  async bytes(): Promise<Uint8Array> {
    if (!this.stream.writableEnded) this.stream.end();
    await finished(this.stream);
    return Buffer.concat(this.chunks);
  }
}
