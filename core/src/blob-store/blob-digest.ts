import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { BlobTooLargeError, type BlobWriteResult } from './port.js';

/** Running size and sha256 of the bytes on their way into a blob. */
export class BlobDigest {
  private readonly hash = createHash('sha256');
  private size = 0;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  /** Counts and hashes `chunk`; throws BlobTooLargeError as soon as the total passes `maxBytes`. */
  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) throw new BlobTooLargeError(this.maxBytes);
    this.hash.update(chunk);
  }

  /** The final size and hex sha256; call once, after the last chunk. */
  result(): BlobWriteResult {
    return { size: this.size, sha256: this.hash.digest('hex') };
  }
}

/**
 * A pass-through stage that feeds `digest`. When `maxBytes` is crossed it fails, which makes
 * `stream.pipeline` destroy the source and the sink at once instead of draining the source.
 */
export function digestingStage(digest: BlobDigest): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        digest.add(chunk);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** Size and sha256 of a local file. */
export async function digestFile(path: string): Promise<BlobWriteResult> {
  const digest = new BlobDigest();
  for await (const chunk of createReadStream(path)) digest.add(chunk as Buffer);
  return digest.result();
}
