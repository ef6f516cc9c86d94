import { decodeDib, dibDimensions, type DibSource } from './dib.js';
import { checkPixelLimit, invalidInput } from './limits.js';
import type { RawImage } from './raw-image.js';

/** The image an icon file is converted from: its largest entry, as a PNG to hand to sharp or as decoded bitmap pixels. */
export type IconImage = { kind: 'png'; png: Buffer; width: number; height: number } | { kind: 'bitmap'; pixels: RawImage };

const directoryHeaderSize = 6;
const directoryEntrySize = 16;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface IconEntry {
  start: number;
  end: number;
  isPng: boolean;
  width: number;
  height: number;
  bitCount: number;
}

/**
 * The entry the conversion starts from: the most pixels, then the most colours. Sizes are read
 * from each entry's own header, not the directory, which cannot say more than 256.
 */
function largestEntry(bytes: Buffer): IconEntry {
  if (bytes.length < directoryHeaderSize || bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) {
    throw invalidInput('ico', 'it does not start with an icon directory (00 00 01 00)');
  }
  const count = bytes.readUInt16LE(4);
  if (count === 0) throw invalidInput('ico', 'its directory lists no images');
  if (directoryHeaderSize + count * directoryEntrySize > bytes.length) throw invalidInput('ico', 'its directory is cut short');
  let best: IconEntry | undefined;
  for (let index = 0; index < count; index++) {
    const entry = readEntry(bytes, directoryHeaderSize + index * directoryEntrySize);
    const pixels = entry.width * entry.height;
    const bestPixels = best ? best.width * best.height : -1;
    if (!best || pixels > bestPixels || (pixels === bestPixels && entry.bitCount > best.bitCount)) best = entry;
  }
  return best!;
}

function readEntry(bytes: Buffer, at: number): IconEntry {
  const bitCount = bytes.readUInt16LE(at + 6);
  const size = bytes.readUInt32LE(at + 8);
  const start = bytes.readUInt32LE(at + 12);
  const end = start + size;
  if (size < 8 || start < directoryHeaderSize || end > bytes.length) throw invalidInput('ico', 'an entry points outside the file');
  if (bytes.subarray(start, start + 8).equals(pngSignature)) {
    if (size < 24 || bytes.toString('latin1', start + 12, start + 16) !== 'IHDR') throw invalidInput('ico', 'a PNG entry has no header');
    return { start, end, isPng: true, width: bytes.readUInt32BE(start + 16), height: bytes.readUInt32BE(start + 20), bitCount };
  }
  const { width, height } = dibDimensions(bytes, bitmapAt(start, end));
  return { start, end, isPng: false, width, height, bitCount };
}

function bitmapAt(start: number, end: number): DibSource {
  return { container: 'ico', headerOffset: start, end };
}

/** The icon's largest image, refused before decoding when it has more than `maxPixels`. */
export function decodeIco(bytes: Buffer, maxPixels: number): IconImage {
  const entry = largestEntry(bytes);
  checkPixelLimit(entry.width, entry.height, maxPixels, 'ico');
  if (entry.isPng) return { kind: 'png', png: bytes.subarray(entry.start, entry.end), width: entry.width, height: entry.height };
  return { kind: 'bitmap', pixels: decodeDib(bytes, bitmapAt(entry.start, entry.end), maxPixels) };
}
