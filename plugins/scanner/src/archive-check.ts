import type { ScanContext } from '@conveyor/contracts';
import type { ScannedFile } from './file-reader.js';
import { inflateWithin } from './inflated-size.js';
import { rejected, type Finding } from './verdicts.js';
import { centralDirectoryEntries, ZipDirectoryError, type ZipEntry } from './zip-directory.js';
import { readZipEndRecord, type ZipEndRecord } from './zip-end-record.js';

const localHeaderSignature = 0x04034b50;
const stored = 0;
const deflated = 8;
const encryptedFlag = 0x1;

type ArchiveLimits = Pick<ScanContext['limits'], 'maxDecompressedBytes' | 'maxExpansionRatio'>;

/**
 * A zip container (zip, docx, xlsx, pptx, odt, ods, odp, epub) is measured from its central
 * directory before anything unpacks it: its entries' names must stay inside the archive, and
 * their total size must stay under `maxDecompressedBytes` and `maxExpansionRatio` times the
 * file's size. Then each deflated entry is inflated (counted, never kept) to prove it is no
 * larger than the directory says, so a lying directory cannot slip a bomb under the limits.
 */
export async function checkArchive(file: ScannedFile, format: string, limits: ArchiveLimits, signal: AbortSignal): Promise<Finding> {
  const endResult = await readZipEndRecord(file);
  if (!endResult.ok) return rejected(`the ${format} archive cannot be read safely: ${endResult.reason}`);
  const end = endResult.end;
  try {
    const declared = await checkDirectory(file, end, format, limits, signal);
    if (declared) return declared;
    for await (const entry of centralDirectoryEntries(file, end, signal)) {
      const finding = await checkEntryData(file, end, entry, signal);
      if (finding) return finding;
    }
  } catch (error) {
    if (error instanceof ZipDirectoryError) return rejected(`the ${format} archive cannot be read safely: ${error.message}`);
    throw error;
  }
  return undefined;
}

/** What the directory itself declares: safe names, entries inside the file, and totals under the limits. */
async function checkDirectory(file: ScannedFile, end: ZipEndRecord, format: string, limits: ArchiveLimits, signal: AbortSignal): Promise<Finding> {
  let total = 0;
  for await (const entry of centralDirectoryEntries(file, end, signal)) {
    if (isUnsafeEntryName(entry.name)) return rejected(`the ${format} archive holds an entry whose path leaves the archive: ${JSON.stringify(entry.name)}`);
    if (entry.localHeaderOffset + 30 + entry.compressedSize > end.directoryOffset) {
      return rejected(`the ${format} archive's entry ${JSON.stringify(entry.name)} declares more data than the file holds`);
    }
    total += entry.uncompressedSize;
  }
  if (total > limits.maxDecompressedBytes) {
    return rejected(`archive expands to ${total} bytes (limit ${limits.maxDecompressedBytes} bytes)`);
  }
  const ratio = total / Math.max(1, file.size);
  if (ratio > limits.maxExpansionRatio) return rejected(`archive expands ${formatRatio(ratio)}× (limit ${limits.maxExpansionRatio}×)`);
  return undefined;
}

/** An entry's data, found through its local header, is where the directory says and no larger than it says. */
async function checkEntryData(file: ScannedFile, end: ZipEndRecord, entry: ZipEntry, signal: AbortSignal): Promise<Finding> {
  const name = JSON.stringify(entry.name);
  const header = await file.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) return rejected(`the archive's entry ${name} has no local header where the directory says`);
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataStart + entry.compressedSize > end.directoryOffset) return rejected(`the archive's entry ${name} runs into the central directory`);
  // Encrypted data cannot be measured; nothing in Conveyor can decrypt it either.
  if (entry.flags & encryptedFlag) return undefined;
  if (entry.method === stored && entry.compressedSize !== entry.uncompressedSize) {
    return rejected(`the archive's stored entry ${name} declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}`);
  }
  if (entry.method !== deflated) return undefined;
  const outcome = await inflateWithin(file, dataStart, entry.compressedSize, entry.uncompressedSize, signal);
  if (outcome === 'exceeds') return rejected(`the archive's entry ${name} expands past the ${entry.uncompressedSize} bytes it declares`);
  if (outcome === 'corrupt') return rejected(`the archive's entry ${name} is not valid deflate data`);
  return undefined;
}

/** Absolute paths, drive letters and `..` segments, with either slash: extracting such an entry writes outside the target folder. */
export function isUnsafeEntryName(name: string): boolean {
  const path = name.replaceAll('\\', '/');
  return path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.includes('\0') || path.split('/').includes('..');
}

function formatRatio(ratio: number): string {
  return ratio >= 10 ? String(Math.round(ratio)) : ratio.toFixed(1);
}
