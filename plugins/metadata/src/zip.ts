import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { PluginError } from '@conveyor/contracts';

/**
 * Just enough of the zip format to read a few small XML parts of an office document and to
 * rewrite them: every other entry is copied byte for byte, never inflated, so a document that
 * expands to gigabytes costs no more than its size.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  /** The central directory record, as found. */
  central: Buffer;
}

/** Largest XML part inflated: docProps and meta.xml are a few kilobytes. */
const maxPartBytes = 8 * 1024 * 1024;

function corrupt(message: string): PluginError {
  return new PluginError('invalid_input', `the document is not a readable zip file: ${message}`);
}

export function listEntries(zip: Buffer): ZipEntry[] {
  const searchFrom = Math.max(0, zip.length - 65_557);
  let end = -1;
  for (let at = zip.length - 22; at >= searchFrom; at -= 1) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw corrupt('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw corrupt('zip64 archives are not supported');
  if (offset + size > end) throw corrupt('central directory out of bounds');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > end || zip.readUInt32LE(at) !== 0x02014b50) throw corrupt('bad central directory record');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const recordLength = 46 + nameLength + extraLength + commentLength;
    const entry: ZipEntry = {
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      central: zip.subarray(at, at + recordLength),
    };
    if (entry.localOffset + 30 > offset) throw corrupt(`entry ${entry.name} out of bounds`);
    entries.push(entry);
    at += recordLength;
  }
  return entries;
}

function dataStart(zip: Buffer, entry: ZipEntry): number {
  const at = entry.localOffset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw corrupt(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.length) throw corrupt(`entry ${entry.name} is truncated`);
  return start;
}

/** The local record of `entry` (header, data and any data descriptor), to copy as it is. */
function localRecord(zip: Buffer, entry: ZipEntry): Buffer {
  let end = dataStart(zip, entry) + entry.compressedSize;
  if (entry.flags & 0x8) end += end + 4 <= zip.length && zip.readUInt32LE(end) === 0x08074b50 ? 16 : 12;
  return zip.subarray(entry.localOffset, Math.min(end, zip.length));
}

export function readEntryText(zip: Buffer, entry: ZipEntry): string {
  if (entry.uncompressedSize > maxPartBytes) throw new PluginError('limit_exceeded', `${entry.name} is larger than ${maxPartBytes} bytes`);
  const start = dataStart(zip, entry);
  const data = zip.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return data.toString('utf8');
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: maxPartBytes }).toString('utf8');
  } catch (error) {
    throw corrupt(`${entry.name} cannot be inflated (${(error as Error).message})`);
  }
  throw corrupt(`${entry.name} uses compression method ${entry.method}`);
}

/** Rewrites `zip` with `replace`d entries (name → new text; `undefined` keeps it) and `add`ed ones at the end. */
export function rewriteZip(zip: Buffer, entries: readonly ZipEntry[], changes: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  const write = (local: Buffer, record: Buffer) => {
    const copy = Buffer.from(record);
    copy.writeUInt32LE(offset, 42);
    central.push(copy);
    parts.push(local);
    offset += local.length;
  };
  for (const entry of entries) {
    seen.add(entry.name);
    const text = changes.get(entry.name);
    if (text === undefined) write(localRecord(zip, entry), entry.central);
    else write(...storedEntry(entry.name, text));
  }
  for (const [name, text] of changes) if (!seen.has(name)) write(...storedEntry(name, text));
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** A deflated entry with its local header and central record (offset filled in by the caller). */
function storedEntry(name: string, text: string): [Buffer, Buffer] {
  const data = Buffer.from(text, 'utf8');
  const compressed = deflateRawSync(data);
  const nameBytes = Buffer.from(name, 'utf8');
  const checksum = crc32(data);
  // 1980-01-01 00:00: a fixed time, so that the same edit gives the same bytes.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(dosTime, 10);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const record = Buffer.alloc(46);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(20, 4);
  record.writeUInt16LE(20, 6);
  record.writeUInt16LE(0x0800, 8);
  record.writeUInt16LE(8, 10);
  record.writeUInt16LE(dosTime, 12);
  record.writeUInt16LE(dosDate, 14);
  record.writeUInt32LE(checksum, 16);
  record.writeUInt32LE(compressed.length, 20);
  record.writeUInt32LE(data.length, 24);
  record.writeUInt16LE(nameBytes.length, 28);
  return [Buffer.concat([local, nameBytes, compressed]), Buffer.concat([record, nameBytes])];
}
