import { encodeImage } from './encoding.js';
import { isOutputFormatId } from './formats.js';
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

/** The same gradient as an SVG document, for the one read-only format this plugin can still make an example of. */
function gradientSvg(): Uint8Array {
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${templateWidth}" height="${templateHeight}" viewBox="0 0 ${templateWidth} ${templateHeight}">` +
      '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0000a0"/><stop offset="1" stop-color="#ffffa0"/></linearGradient></defs>' +
      `<rect width="${templateWidth}" height="${templateHeight}" fill="url(#g)"/></svg>\n`,
  );
}

/** A small gradient image encoded as `format`, or undefined for a format this plugin does not make (HEIC and HEIF: no encoder here). */
export async function makeImageTemplate(format: string): Promise<Uint8Array | undefined> {
  if (format === 'svg') return gradientSvg();
  if (!isOutputFormatId(format)) return undefined;
  const sharp = await loadSharp();
  const image = sharp(gradientPixels(), { raw: { width: templateWidth, height: templateHeight, channels: 3 } });
  return encodeImage(sharp, image, format, {});
}
