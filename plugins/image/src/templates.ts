import { encodeAs } from './encoding.js';
import { isImageFormatId } from './formats.js';
import { loadSharp } from './sharp-library.js';

export const templateWidth = 32;
export const templateHeight = 24;

/**
 * Raw RGB pixels of a diagonal gradient: a template shows something, and any format's
 * encoder handles it (a flat colour would hide a broken colour conversion).
 */
function gradientPixels(): Buffer {
  const pixels = Buffer.alloc(templateWidth * templateHeight * 3);
  for (let y = 0; y < templateHeight; y++) {
    for (let x = 0; x < templateWidth; x++) {
      const offset = (y * templateWidth + x) * 3;
      pixels[offset] = Math.round((255 * x) / (templateWidth - 1));
      pixels[offset + 1] = Math.round((255 * y) / (templateHeight - 1));
      pixels[offset + 2] = 160;
    }
  }
  return pixels;
}

/** A small gradient image encoded as `format`, or undefined for a format this plugin does not make. */
export async function makeImageTemplate(format: string): Promise<Uint8Array | undefined> {
  if (!isImageFormatId(format)) return undefined;
  const sharp = await loadSharp();
  const image = sharp(gradientPixels(), { raw: { width: templateWidth, height: templateHeight, channels: 3 } });
  return encodeAs(image, format, undefined).toBuffer();
}
