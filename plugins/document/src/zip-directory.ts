import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The zip is not one: no end-of-central-directory record, or a directory that does not add up. */
export class NotAZipError extends Error {}

const endOfDirectorySignature = 0x06054b50;
const directoryEntrySignature = 0x02014b50;
const localHeaderSignature = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const endRecordSearchBytes = 22 + 0xffff;
/** Sizes and offsets saturated to this mean the real value is in a ZIP64 extra field. */
const zip64Marker = 0xffffffff;

/**
 * Reads a zip's central directory: the name and the declared sizes of every entry, without
 * inflating anything. That is what the decompressed-size limit is checked against, before
 * LibreOffice inflates a single byte. ZIP64 archives are refused: no office document needs one.
 */
export async function readZipDirectory(path: string): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, endRecordSearchBytes);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let offset = tailLength - 22; offset >= 0; offset--) {
      if (tail.readUInt32LE(offset) === endOfDirectorySignature) {
        end = offset;
        break;
      }
    }
    if (end < 0) throw new NotAZipError('no zip end-of-central-directory record');
    const entryCount = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset === zip64Marker || entryCount === 0xffff) throw new NotAZipError('ZIP64 archives are not accepted');
    if (directoryOffset + directorySize > size) throw new NotAZipError('the central directory lies beyond the end of the file');
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    return parseDirectory(directory, entryCount);
  } finally {
    await file.close();
  }
}

function parseDirectory(directory: Buffer, entryCount: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < entryCount; index++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== directoryEntrySignature) {
      throw new NotAZipError(`central directory entry ${index} is damaged`);
    }
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const entry: ZipEntry = {
      method: directory.readUInt16LE(offset + 10),
      compressedSize: directory.readUInt32LE(offset + 20),
      uncompressedSize: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
      name: directory.toString('utf8', offset + 46, offset + 46 + nameLength),
    };
    if (entry.compressedSize === zip64Marker || entry.uncompressedSize === zip64Marker || entry.localHeaderOffset === zip64Marker) {
      throw new NotAZipError('ZIP64 entries are not accepted');
    }
    entries.push(entry);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The content of one (small) entry, inflated. Its declared size bounds the output, so a
 * lying entry cannot inflate past what the directory check allowed.
 */
export async function readZipEntry(path: string, entry: ZipEntry): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(30);
    await file.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== localHeaderSignature) throw new NotAZipError(`the local header of ${entry.name} is damaged`);
    const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = Buffer.alloc(entry.compressedSize);
    await file.read(data, 0, entry.compressedSize, dataOffset);
    if (entry.method === 0) return data;
    if (entry.method !== 8) throw new NotAZipError(`${entry.name} uses compression method ${entry.method}`);
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } finally {
    await file.close();
  }
}
