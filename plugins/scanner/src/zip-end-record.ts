import type { ScannedFile } from './file-reader.js';

/** The end-of-central-directory record: its fixed part, and the most a trailing comment adds. */
const endRecordLength = 22;
const maxCommentLength = 0xffff;
const endRecordSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EndRecordSignature = 0x06064b50;

export interface ZipEndRecord {
  /** Where the end record starts. */
  offset: number;
  /** Where the central directory must end: the zip64 end record when there is one, else the end record. */
  directoryLimit: number;
  entryCount: number;
  directorySize: number;
  directoryOffset: number;
  /** The archive spans several disks (files): nothing a single upload can hold. */
  multiDisk: boolean;
}

/**
 * The zip end record that closes the file: the last `PK 05 06` whose comment runs exactly to
 * the end of the file. That is where every zip reader looks; a file that has one is a zip,
 * whatever its first bytes say. Reads at most the last 64 KiB.
 */
export async function findZipEndRecord(file: ScannedFile): Promise<{ offset: number; record: Buffer } | undefined> {
  const { bytes, offset } = await file.tail(endRecordLength + maxCommentLength);
  for (let at = bytes.length - endRecordLength; at >= 0; at--) {
    if (bytes.readUInt32LE(at) !== endRecordSignature) continue;
    if (at + endRecordLength + bytes.readUInt16LE(at + 20) === bytes.length) return { offset: offset + at, record: bytes.subarray(at, at + endRecordLength) };
  }
  return undefined;
}

export type EndRecordResult = { ok: true; end: ZipEndRecord } | { ok: false; reason: string };

/**
 * Reads the end record, following it to the zip64 end record when a field overflowed, and
 * checks that the central directory it points to lies inside the file, before it.
 */
export async function readZipEndRecord(file: ScannedFile): Promise<EndRecordResult> {
  const found = await findZipEndRecord(file);
  if (!found) return { ok: false, reason: 'the archive has no end-of-central-directory record at its end' };
  const { record, offset } = found;
  let end: ZipEndRecord = {
    offset,
    directoryLimit: offset,
    entryCount: record.readUInt16LE(10),
    directorySize: record.readUInt32LE(12),
    directoryOffset: record.readUInt32LE(16),
    multiDisk: record.readUInt16LE(4) !== 0 || record.readUInt16LE(6) !== 0 || record.readUInt16LE(8) !== record.readUInt16LE(10),
  };
  if (end.entryCount === 0xffff || end.directorySize === 0xffffffff || end.directoryOffset === 0xffffffff) {
    const zip64 = await readZip64EndRecord(file, offset);
    if (!zip64.ok) return zip64;
    end = zip64.end;
  }
  if (end.multiDisk) return { ok: false, reason: 'the archive spans several disks' };
  if (end.directoryOffset + end.directorySize > end.directoryLimit) {
    return { ok: false, reason: `the central directory (${end.directorySize} bytes at ${end.directoryOffset}) does not fit in the file` };
  }
  // Each central directory entry takes at least 46 bytes.
  if (end.entryCount * 46 > end.directorySize) {
    return { ok: false, reason: `the archive claims ${end.entryCount} entries, more than its central directory can hold` };
  }
  return { ok: true, end };
}

async function readZip64EndRecord(file: ScannedFile, endRecordOffset: number): Promise<EndRecordResult> {
  const locator = await file.read(endRecordOffset - 20, 20);
  if (endRecordOffset < 20 || locator.length < 20 || locator.readUInt32LE(0) !== zip64LocatorSignature) {
    return { ok: false, reason: 'the archive has zip64 fields but no zip64 locator' };
  }
  const recordOffset = Number(locator.readBigUInt64LE(8));
  const multiDisk = locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) > 1;
  if (!(recordOffset + 56 <= endRecordOffset - 20)) return { ok: false, reason: 'the zip64 end record does not fit in the file' };
  const record = await file.read(recordOffset, 56);
  if (record.length < 56 || record.readUInt32LE(0) !== zip64EndRecordSignature) return { ok: false, reason: 'the zip64 locator points at no zip64 end record' };
  const entriesOnDisk = Number(record.readBigUInt64LE(24));
  const entryCount = Number(record.readBigUInt64LE(32));
  return {
    ok: true,
    end: {
      offset: endRecordOffset,
      directoryLimit: recordOffset,
      entryCount,
      directorySize: Number(record.readBigUInt64LE(40)),
      directoryOffset: Number(record.readBigUInt64LE(48)),
      multiDisk: multiDisk || record.readUInt32LE(16) !== 0 || record.readUInt32LE(20) !== 0 || entriesOnDisk !== entryCount,
    },
  };
}
