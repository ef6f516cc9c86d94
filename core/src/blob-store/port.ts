import type { Readable } from 'node:stream';

export interface BlobWriteResult {
  size: number;
  sha256: string;
}

export interface BlobWriteOptions {
  /** Abort the write (and discard what was written) once more than this many bytes arrive. */
  maxBytes?: number;
}

/** Thrown by `write` when `maxBytes` is crossed; nothing is left stored. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob exceeds ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * Where file bytes live. Writes are all-or-nothing: a failed or aborted write leaves no blob
 * under `key`.
 */
export interface BlobStore {
  /** Streams `source` to `key`, hashing as it goes; never buffers it whole. */
  write(key: string, source: Readable, options?: BlobWriteOptions): Promise<BlobWriteResult>;
  /** Copies a local file in (worker output). */
  writeFile(key: string, path: string): Promise<BlobWriteResult>;
  /** Makes the blob available as a local file for a converter; returns its path. */
  downloadTo(key: string, path: string): Promise<void>;
  /**
   * Where the blob can be read in place, when the store keeps it as a local file; undefined
   * when it does not (S3). It is the stored blob itself, for readers that never write to it.
   */
  localFile(key: string): string | undefined;
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}
