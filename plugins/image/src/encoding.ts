import type { Sharp } from 'sharp';
import type { ImageFormatId } from './formats.js';

/**
 * Sets the encoder for `target`. `quality` is passed only to encoders that have one; left
 * undefined, sharp's own default for that format applies.
 */
export function encodeAs(pipeline: Sharp, target: ImageFormatId, quality: number | undefined): Sharp {
  switch (target) {
    case 'png':
      return pipeline.png();
    case 'jpeg':
      return pipeline.jpeg({ quality });
    case 'webp':
      return pipeline.webp({ quality });
    case 'avif':
      return pipeline.avif({ quality });
    case 'tiff':
      // sharp's TIFF default is JPEG compression; LZW keeps TIFF lossless, as its capabilities declare.
      return pipeline.tiff({ compression: 'lzw' });
    case 'gif':
      return pipeline.gif();
  }
}

/** Formats that cannot store transparency: transparent pixels are flattened onto white, not black. */
export function dropsAlpha(target: ImageFormatId): boolean {
  return target === 'jpeg';
}
