import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Opens `path` for `source` to be piped into. Opening before any byte flows means the file
 * exists before a failing copy removes it: a stream that opens its own file may finish that
 * open after the removal and leave an empty file behind. If the file cannot be opened, the
 * source is released, as a pipeline whose destination failed would have done.
 */
export async function openForStream(source: Readable, path: string, flags: 'w' | 'wx'): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (error) {
    source.destroy();
    throw error;
  }
}
