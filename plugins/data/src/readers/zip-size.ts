import { open } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';

const endOfCentralDirectorySignature = 0x06054b50;
const centralDirectoryEntrySignature = 0x02014b50;
/** The end record is 22 bytes, followed by a comment of up to 65535. */
const endRecordSearchLength = 22 + 0xffff;

/**
 * The sum of the uncompressed sizes the zip's central directory declares: what the archive
 * claims it expands to, read before anything is inflated.
 */
export async function zipUncompressedSize(path: string, what: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, endRecordSearchLength);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let offset = tailLength - 22; offset >= 0; offset--) {
      if (tail.readUInt32LE(offset) === endOfCentralDirectorySignature) {
        end = offset;
        break;
      }
    }
    if (end < 0) throw new PluginError('invalid_input', `the ${what} is not a zip archive (no central directory found): it is damaged or not an xlsx file`);
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      throw new PluginError('limit_exceeded', `the ${what} is a ZIP64 archive, which only workbooks beyond 4 GB need`);
    }
    if (directoryOffset + directorySize > size) throw new PluginError('invalid_input', `the ${what}'s zip directory points past the end of the file: it is truncated`);
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    let total = 0;
    let offset = 0;
    for (let entry = 0; entry < entries; entry++) {
      if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== centralDirectoryEntrySignature) {
        throw new PluginError('invalid_input', `the ${what}'s zip directory is damaged`);
      }
      const uncompressed = directory.readUInt32LE(offset + 24);
      if (uncompressed === 0xffffffff) throw new PluginError('limit_exceeded', `the ${what} holds a ZIP64 entry, larger than 4 GB once inflated`);
      total += uncompressed;
      offset += 46 + directory.readUInt16LE(offset + 28) + directory.readUInt16LE(offset + 30) + directory.readUInt16LE(offset + 32);
    }
    return total;
  } finally {
    await file.close();
  }
}
