import type { ImageDimensions } from './image-dimensions.js';

const startOfScan = 0xda;

/** SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, with no length after them: TEM, RST0–RST7, SOI, EOI. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

/**
 * Walks a JPEG's marker segments up to the frame header (SOF) for its size; an EXIF
 * orientation of 5–8 (a quarter turn) met on the way swaps width and height, because
 * converters turn the image upright before anything else.
 */
export function jpegDimensions(view: DataView): ImageDimensions | undefined {
  let quarterTurn = false;
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    if (view.getUint8(offset) !== 0xff) return undefined;
    const marker = view.getUint8(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    if (isStandalone(marker)) {
      offset += 2;
      continue;
    }
    if (marker === startOfScan) return undefined;
    const segmentLength = view.getUint16(offset + 2);
    const segmentEnd = offset + 2 + segmentLength;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > view.byteLength) return undefined;
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      return quarterTurn ? { width: height, height: width } : { width, height };
    }
    if (marker === 0xe1) {
      const orientation = exifOrientation(view, offset + 4, Math.min(segmentEnd, view.byteLength));
      if (orientation !== undefined) quarterTurn = orientation >= 5 && orientation <= 8;
    }
    if (segmentLength < 2) return undefined;
    offset = segmentEnd;
  }
  return undefined;
}

const orientationTag = 0x0112;

/** The Orientation entry of IFD0 in an APP1 `Exif\0\0` segment spanning `start`–`end`, if there is one. */
function exifOrientation(view: DataView, start: number, end: number): number | undefined {
  if (end - start < 14 || !hasExifSignature(view, start)) return undefined;
  const tiff = start + 6;
  const byteOrder = view.getUint16(tiff);
  if (byteOrder !== 0x4949 && byteOrder !== 0x4d4d) return undefined;
  const littleEndian = byteOrder === 0x4949;
  const ifd = tiff + view.getUint32(tiff + 4, littleEndian);
  if (ifd + 2 > end) return undefined;
  const entries = view.getUint16(ifd, littleEndian);
  for (let index = 0; index < entries; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, littleEndian) === orientationTag) return view.getUint16(entry + 8, littleEndian);
  }
  return undefined;
}

function hasExifSignature(view: DataView, offset: number): boolean {
  const signature = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
  return signature.every((byte, index) => view.getUint8(offset + index) === byte);
}
