import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Opens the file `source` is to be piped into, with `openFile`. Opening before any byte flows
 * means the file exists before a failing copy removes it: a stream that opens its own file may
 * finish that open after the removal and leave an empty file behind. If the file cannot be
 * opened, the source is released, as a pipeline whose destination failed would have done.
 */
export async function openForStream(source: Readable, openFile: () => Promise<FileHandle>): Promise<FileHandle> {
  try {
    return await openFile();
  } catch (error) {
    source.destroy();
    throw error;
  }
}
