/** Compression methods a zip entry may name: stored, deflate, deflate64, bzip2, lzma, zstd, xz, ppmd. */
const zipMethods = new Set([0, 8, 9, 12, 14, 93, 95, 98]);

/** The most name bytes looked at; the window handed to `findZipLocalHeader` must hold a header and this much. */
const namePrefixChecked = 64;
export const localHeaderWindow = 30 + namePrefixChecked;

const localHeaderSignature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Where in `bytes` a plausible zip local file header starts (the first entry of a ZIP or JAR),
 * or -1. Four bytes alone turn up by chance in compressed data about once every 4 GB, so the
 * header must also name a known compression method, a version a zip tool writes, and a file
 * name of printable characters: chance then no longer explains it. Headers that begin in the
 * last `localHeaderWindow` bytes are not judged (the caller hands them over again with more).
 */
export function findZipLocalHeader(bytes: Buffer, from = 0): number {
  const lastStart = bytes.length - localHeaderWindow;
  for (let at = bytes.indexOf(localHeaderSignature, from); at >= 0 && at <= lastStart; at = bytes.indexOf(localHeaderSignature, at + 1)) {
    if (isPlausibleLocalHeader(bytes, at)) return at;
  }
  return -1;
}

function isPlausibleLocalHeader(bytes: Buffer, at: number): boolean {
  const versionNeeded = bytes.readUInt16LE(at + 4);
  const method = bytes.readUInt16LE(at + 8);
  const nameLength = bytes.readUInt16LE(at + 26);
  if (versionNeeded > 63 || !zipMethods.has(method) || nameLength < 1 || nameLength > 1024) return false;
  const name = bytes.subarray(at + 30, at + 30 + Math.min(nameLength, namePrefixChecked));
  // Printable ASCII, or bytes of UTF-8 sequences; never control characters.
  return name.every((byte) => byte >= 0x20 && byte !== 0x7f);
}
