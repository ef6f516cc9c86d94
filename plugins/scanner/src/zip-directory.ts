import { throwIfCancelled } from './cancellation.js';
import type { ScannedFile } from './file-reader.js';
import type { ZipEndRecord } from './zip-end-record.js';

const centralEntrySignature = 0x02014b50;
const readAhead = 256 * 1024;

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipDirectoryError extends Error {}

/**
 * The entries of the central directory, read in bounded pieces (a directory of a million
 * entries is never held whole) and yielded one at a time. Sizes and offsets that overflowed
 * into the zip64 extra field are taken from there.
 */
export async function* centralDirectoryEntries(file: ScannedFile, end: ZipEndRecord, signal: AbortSignal): AsyncGenerator<ZipEntry> {
  const reader = new RangeReader(file, end.directoryOffset, end.directoryOffset + end.directorySize);
  for (let index = 0; index < end.entryCount; index++) {
    if (index % 1024 === 0) throwIfCancelled(signal);
    const fixed = await reader.take(46, `entry ${index + 1}`);
    if (fixed.readUInt32LE(0) !== centralEntrySignature) throw new ZipDirectoryError(`central directory entry ${index + 1} is not where the directory says`);
    const nameLength = fixed.readUInt16LE(28);
    const extraLength = fixed.readUInt16LE(30);
    const commentLength = fixed.readUInt16LE(32);
    const variable = await reader.take(nameLength + extraLength + commentLength, `entry ${index + 1}`);
    const entry: ZipEntry = {
      name: variable.toString('utf8', 0, nameLength),
      flags: fixed.readUInt16LE(8),
      method: fixed.readUInt16LE(10),
      compressedSize: fixed.readUInt32LE(20),
      uncompressedSize: fixed.readUInt32LE(24),
      localHeaderOffset: fixed.readUInt32LE(42),
    };
    applyZip64Extra(entry, variable.subarray(nameLength, nameLength + extraLength));
    yield entry;
  }
}

/** The zip64 extra field (id 1) holds, in this order, each of these that is 0xFFFFFFFF in the entry. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  const overflowed = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((field) => entry[field] === 0xffffffff);
  if (overflowed.length === 0) return;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      if (size < overflowed.length * 8 || at + 4 + size > extra.length) throw new ZipDirectoryError(`entry "${entry.name}" has a short zip64 field`);
      overflowed.forEach((field, index) => (entry[field] = Number(extra.readBigUInt64LE(at + 4 + index * 8))));
      return;
    }
    at += 4 + size;
  }
  throw new ZipDirectoryError(`entry "${entry.name}" has zip64 sizes but no zip64 field`);
}

/** Hands out consecutive pieces of a byte range of the file, reading ahead in bounded blocks. */
class RangeReader {
  private buffered = Buffer.alloc(0);

  constructor(
    private readonly file: ScannedFile,
    private position: number,
    private readonly end: number,
  ) {}

  async take(length: number, what: string): Promise<Buffer> {
    if (this.buffered.length < length) {
      const wanted = Math.min(Math.max(length - this.buffered.length, readAhead), this.end - this.position);
      const more = wanted > 0 ? await this.file.read(this.position, wanted) : Buffer.alloc(0);
      this.position += more.length;
      this.buffered = Buffer.concat([this.buffered, more]);
      if (this.buffered.length < length) throw new ZipDirectoryError(`central directory ${what} runs past the directory's end`);
    }
    const piece = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return piece;
  }
}
