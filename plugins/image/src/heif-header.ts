import { invalidInput } from './limits.js';

/**
 * The largest image size a HEIF/HEIC file declares, read from its boxes before anything is
 * decoded. Every image item must carry an `ispe` (image spatial extents) property in
 * meta/iprp/ipco; the primary image, a grid's full canvas, thumbnails and tiles all have one,
 * so the largest of them bounds what a decoder will allocate.
 */
export function heifDimensions(bytes: Buffer, format: 'heic' | 'heif'): { width: number; height: number } {
  const top = childBoxes(bytes, 0, bytes.length, format);
  if (top[0]?.type !== 'ftyp') throw invalidInput(format, 'it does not start with an ftyp box');
  const meta = top.find((box) => box.type === 'meta');
  if (!meta) throw invalidInput(format, 'it has no meta box');
  // meta is a full box: a version and flags before its children.
  const iprp = childBoxes(bytes, meta.start + 4, meta.end, format).find((box) => box.type === 'iprp');
  const ipco = iprp && childBoxes(bytes, iprp.start, iprp.end, format).find((box) => box.type === 'ipco');
  const extents = ipco ? childBoxes(bytes, ipco.start, ipco.end, format).filter((box) => box.type === 'ispe') : [];
  let largest: { width: number; height: number } | undefined;
  for (const ispe of extents) {
    if (ispe.end - ispe.start < 12) throw invalidInput(format, 'an ispe box is cut short');
    const width = bytes.readUInt32BE(ispe.start + 4);
    const height = bytes.readUInt32BE(ispe.start + 8);
    if (!largest || width * height > largest.width * largest.height) largest = { width, height };
  }
  if (!largest) throw invalidInput(format, 'it declares no image size (no ispe property)');
  return largest;
}

interface Box {
  type: string;
  /** Where the box's content starts (after its size and type). */
  start: number;
  end: number;
}

function childBoxes(bytes: Buffer, start: number, end: number, format: 'heic' | 'heif'): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let headerSize = 8;
    if (size === 1) {
      if (at + 16 > end) throw invalidInput(format, `the ${type} box is cut short`);
      size = Number(bytes.readBigUInt64BE(at + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = end - at; // the box runs to the end of its parent
    }
    if (size < headerSize || at + size > end) throw invalidInput(format, `the ${type} box runs past its container`);
    boxes.push({ type, start: at + headerSize, end: at + size });
    at += size;
  }
  return boxes;
}
