/**
 * Reads an image's width and height from its header, for the formats whose header says it
 * early (PNG, JPEG, GIF, WebP, BMP), without decoding anything. Used to prefill resize
 * options; the API has no image library of its own and needs none for this.
 */
import { sniffFormat } from '@conveyor/contracts';
import { jpegDimensions } from './jpeg-dimensions.js';

export interface ImageDimensions {
  width: number;
  height: number;
}

/** The formats `imageDimensions` reads. */
export const dimensionFormats: ReadonlySet<string> = new Set(['png', 'jpeg', 'gif', 'webp', 'bmp']);

/**
 * How many leading bytes to read: enough for every header here, and for a JPEG whose size
 * comes after an EXIF segment (at most 64 KiB, thumbnail included).
 */
export const imageDimensionsHeadLength = 64 * 1024 + 1024;

/**
 * The displayed width and height of the image whose first bytes are `head` (a JPEG's EXIF
 * orientation applied, as converters apply it), or undefined when they do not say.
 *
 * @example imageDimensions(await readHead(file)) // { width: 1920, height: 1080 }
 */
export function imageDimensions(head: Uint8Array): ImageDimensions | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dimensions = readerFor(sniffFormat(head))?.(view);
  return dimensions && dimensions.width > 0 && dimensions.height > 0 ? dimensions : undefined;
}

function readerFor(format: string | undefined): ((view: DataView) => ImageDimensions | undefined) | undefined {
  switch (format) {
    case 'png':
      return pngDimensions;
    case 'jpeg':
      return jpegDimensions;
    case 'gif':
      return gifDimensions;
    case 'webp':
      return webpDimensions;
    case 'bmp':
      return bmpDimensions;
    default:
      return undefined;
  }
}

/** The IHDR chunk is always first, right after the 8-byte signature. */
function pngDimensions(view: DataView): ImageDimensions | undefined {
  if (view.byteLength < 24) return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The logical screen size follows the 6-byte signature. */
function gifDimensions(view: DataView): ImageDimensions | undefined {
  if (view.byteLength < 10) return undefined;
  return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
}

function bmpDimensions(view: DataView): ImageDimensions | undefined {
  if (view.byteLength < 26) return undefined;
  // OS/2 1.x bitmaps have a 12-byte header with 16-bit sizes; every later header has 32-bit ones.
  if (view.getUint32(14, true) === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  // A negative height means the rows are stored top-down; the image is as tall either way.
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

/** RIFF/WEBP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended), each with its own layout. */
function webpDimensions(view: DataView): ImageDimensions | undefined {
  if (view.byteLength < 30) return undefined;
  const chunk = String.fromCharCode(view.getUint8(12), view.getUint8(13), view.getUint8(14), view.getUint8(15));
  if (chunk === 'VP8 ') {
    // A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes (2 bits of scaling above them).
    if (view.getUint8(23) !== 0x9d || view.getUint8(24) !== 0x01 || view.getUint8(25) !== 0x2a) return undefined;
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (view.getUint8(20) !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const uint24 = (offset: number) => view.getUint8(offset) | (view.getUint8(offset + 1) << 8) | (view.getUint8(offset + 2) << 16);
    return { width: uint24(24) + 1, height: uint24(27) + 1 };
  }
  return undefined;
}
