import { decodeDib, dibDimensions, type DibSource } from './dib.js';
import { invalidInput } from './limits.js';
import type { RawImage } from './raw-image.js';

const fileHeaderSize = 14;

/** Where a BMP file's bitmap is: its 14-byte file header ("BM", size, reserved, pixel offset) says. */
function bitmapIn(bytes: Buffer): DibSource {
  if (bytes.length < fileHeaderSize + 4 || bytes.toString('latin1', 0, 2) !== 'BM') throw invalidInput('bmp', 'it does not start with "BM"');
  const pixelOffset = bytes.readUInt32LE(10);
  if (pixelOffset < fileHeaderSize || pixelOffset > bytes.length) throw invalidInput('bmp', 'its pixel data offset points outside the file');
  return { container: 'bmp', headerOffset: fileHeaderSize, pixelOffset, end: bytes.length };
}

export function bmpDimensions(bytes: Buffer): { width: number; height: number } {
  return dibDimensions(bytes, bitmapIn(bytes));
}

/** Decodes a BMP file, refusing it before allocating its pixels when its header announces more than `maxPixels`. */
export function decodeBmp(bytes: Buffer, maxPixels: number): RawImage {
  return decodeDib(bytes, bitmapIn(bytes), maxPixels);
}
