import type { ScannedFile } from './file-reader.js';
import { loadSharp } from './libraries.js';

export interface Dimensions {
  width: number;
  height: number;
}

export class UnreadableHeader extends Error {}

/** Formats whose header sharp reads (without decoding a pixel); the others are read here. */
const sharpFormats = new Set(['png', 'jpeg', 'gif', 'webp', 'avif', 'tiff']);

/**
 * The largest picture an image file declares, from its header alone: a few header bytes can
 * announce gigabytes of pixels, and that is what the limit is about, before anything decodes.
 */
export async function imageDimensions(file: ScannedFile, path: string, format: string): Promise<Dimensions> {
  if (sharpFormats.has(format)) return sharpDimensions(path);
  if (format === 'bmp') return bmpDimensions(await file.head(26));
  if (format === 'ico') return icoDimensions(file);
  return heifDimensions(file);
}

async function sharpDimensions(path: string): Promise<Dimensions> {
  const sharp = await loadSharp();
  let metadata: Awaited<ReturnType<ReturnType<SharpLibrary>['metadata']>>;
  try {
    metadata = await sharp(path, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw new UnreadableHeader((error as Error).message);
  }
  const width = metadata.width ?? 0;
  // An animation's frames are stacked into one tall image only when all are asked for; the height is one frame's.
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (!(width > 0 && height > 0)) throw new UnreadableHeader('no image size in the header');
  return { width, height };
}

type SharpLibrary = Awaited<ReturnType<typeof loadSharp>>;

/** BITMAPINFOHEADER and later keep 32-bit sizes at 18 and 22 (a negative height is a top-down image); the old OS/2 header 16-bit ones. */
function bmpDimensions(header: Buffer): Dimensions {
  if (header.length < 26) throw new UnreadableHeader('the bitmap header is cut short');
  if (header.readUInt32LE(14) === 12) return { width: header.readUInt16LE(18), height: header.readUInt16LE(20) };
  return { width: Math.abs(header.readInt32LE(18)), height: Math.abs(header.readInt32LE(22)) };
}

/**
 * An icon holds several pictures; each directory entry says its size (0 for 256), but a PNG
 * entry's real size is in its own header, which may say far more.
 */
async function icoDimensions(file: ScannedFile): Promise<Dimensions> {
  const header = await file.head(6);
  const count = header.length === 6 ? header.readUInt16LE(4) : 0;
  const directory = await file.read(6, count * 16);
  if (count === 0 || directory.length < count * 16) throw new UnreadableHeader('the icon directory is cut short');
  let largest: Dimensions = { width: 0, height: 0 };
  for (let index = 0; index < count; index++) {
    const entry = directory.subarray(index * 16, index * 16 + 16);
    let size: Dimensions = { width: entry[0] || 256, height: entry[1] || 256 };
    const image = await file.read(entry.readUInt32LE(12), 24);
    if (image.length === 24 && image.readUInt32BE(0) === 0x89504e47) size = { width: image.readUInt32BE(16), height: image.readUInt32BE(20) };
    if (size.width * size.height > largest.width * largest.height) largest = size;
  }
  return largest;
}

/** A HEIF meta box holds item properties, never pixels; one this large is not an honest header. */
const maxMetaBoxBytes = 4 * 1024 * 1024;
const maxBoxesBeforeMeta = 16;

/**
 * HEIC/HEIF: every image item (the primary image, a grid's canvas, tiles, thumbnails) has an
 * `ispe` property in meta/iprp/ipco; the largest bounds what a decoder allocates.
 */
async function heifDimensions(file: ScannedFile): Promise<Dimensions> {
  let meta: Buffer | undefined;
  // The meta box follows ftyp in any real file; a long run of boxes before it is not looked through.
  for (let at = 0, boxes = 0; at + 8 <= file.size && !meta && boxes < maxBoxesBeforeMeta; boxes++) {
    const box = await file.read(at, 16);
    let size = box.readUInt32BE(0);
    const type = box.toString('latin1', 4, 8);
    const headerSize = size === 1 ? 16 : 8;
    if (size === 1) size = box.length === 16 ? Number(box.readBigUInt64BE(8)) : 0;
    else if (size === 0) size = file.size - at;
    if (size < headerSize || at + size > file.size) throw new UnreadableHeader(`the ${type} box runs past the file`);
    if (type === 'meta') {
      if (size > maxMetaBoxBytes) throw new UnreadableHeader(`the meta box is ${size} bytes`);
      meta = await file.read(at + headerSize, size - headerSize);
    }
    at += size;
  }
  if (!meta) throw new UnreadableHeader('no meta box');
  return largestExtent(meta);
}

function largestExtent(meta: Buffer): Dimensions {
  // meta is a full box: version and flags come before its children.
  const iprp = childBoxes(meta, 4, meta.length).find((box) => box.type === 'iprp');
  const ipco = iprp && childBoxes(meta, iprp.start, iprp.end).find((box) => box.type === 'ipco');
  const extents = ipco ? childBoxes(meta, ipco.start, ipco.end).filter((box) => box.type === 'ispe' && box.end - box.start >= 12) : [];
  if (extents.length === 0) throw new UnreadableHeader('no image size (ispe) in the meta box');
  return extents
    .map((box) => ({ width: meta.readUInt32BE(box.start + 4), height: meta.readUInt32BE(box.start + 8) }))
    .reduce((largest, size) => (size.width * size.height > largest.width * largest.height ? size : largest));
}

function childBoxes(bytes: Buffer, start: number, end: number): { type: string; start: number; end: number }[] {
  const boxes = [];
  for (let at = start; at + 8 <= end; ) {
    let size = bytes.readUInt32BE(at);
    let headerSize = 8;
    if (size === 1 && at + 16 <= end) {
      size = Number(bytes.readBigUInt64BE(at + 8));
      headerSize = 16;
    } else if (size === 0) size = end - at;
    if (size < headerSize || at + size > end) throw new UnreadableHeader('a box in the meta box runs past its container');
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at + headerSize, end: at + size });
    at += size;
  }
  return boxes;
}
