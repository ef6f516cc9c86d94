import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { cancelledError } from './cancellation.js';
import type { ScannedFile } from './file-reader.js';

class Overflow extends Error {}

export type InflateOutcome = 'within' | 'exceeds' | 'corrupt';

/**
 * Inflates `length` bytes of raw deflate data at `start` only to count what they produce,
 * stopping as soon as that passes `limit`: whatever an entry's header claims, no more than
 * `limit` (plus one zlib block) is ever produced, and nothing is kept.
 */
export async function inflateWithin(file: ScannedFile, start: number, length: number, limit: number, signal: AbortSignal): Promise<InflateOutcome> {
  let produced = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      produced += chunk.length;
      done(produced > limit ? new Overflow() : undefined);
    },
  });
  async function* compressed() {
    // A chunk is reused by the next read, and zlib may still hold it: hand over copies.
    for await (const chunk of file.chunks(signal, start, start + length)) yield Buffer.from(chunk);
  }
  try {
    await pipeline(Readable.from(compressed()), createInflateRaw(), counter);
    return 'within';
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    return error instanceof Overflow ? 'exceeds' : 'corrupt';
  }
}
