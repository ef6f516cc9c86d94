import { PluginError } from '@conveyor/contracts';
import type { Page, Rect } from 'mupdf';
import type { RasterFormat } from './formats.js';
import { loadMupdf } from './mupdf-library.js';
import type { RenderOptions } from './options.js';
import { readingPdf } from './pdf-document.js';
import { loadSharp } from './sharp-library.js';

/** PDF user space has 72 units to the inch. */
const pointsPerInch = 72;
/** Largest width or height each encoder accepts. */
const maxEncodableSide: Record<RasterFormat, number> = { png: 2 ** 31 - 1, jpeg: 65_535, webp: 16_383 };

export interface PixelSize {
  width: number;
  height: number;
}

/** The scale from points to pixels: the page `width` asked for, else the dpi. */
export function renderScale(bounds: Rect, options: RenderOptions): number {
  const pageWidth = bounds[2] - bounds[0];
  if (options.width !== undefined && pageWidth > 0) return options.width / pageWidth;
  return options.dpi / pointsPerInch;
}

/** The pixmap MuPDF makes of `bounds` at `scale`: its rectangle rounded outwards, as fz_round_rect does. */
export function renderedSize(bounds: Rect, scale: number): PixelSize {
  const epsilon = 0.001;
  const edges = bounds.map((edge) => edge * scale);
  return {
    width: Math.ceil(edges[2]! - epsilon) - Math.floor(edges[0]! + epsilon),
    height: Math.ceil(edges[3]! - epsilon) - Math.floor(edges[1]! + epsilon),
  };
}

/**
 * Renders page `page` on white and encodes it as `target`. The pixel count is checked against
 * `maxPixels` from the page's size before anything is drawn: the rendering itself is one
 * synchronous call that nothing can interrupt.
 */
export async function renderPage(page: Page, target: RasterFormat, options: RenderOptions, maxPixels: number, label: string): Promise<Uint8Array> {
  const mupdf = await loadMupdf();
  const bounds = readingPdf(label, () => page.getBounds());
  const scale = renderScale(bounds, options);
  const size = renderedSize(bounds, scale);
  if (size.width < 1 || size.height < 1) throw new PluginError('invalid_input', `${label} has an empty page`);
  if (size.width * size.height > maxPixels) {
    throw new PluginError('limit_exceeded', `rendering ${label} gives ${size.width}×${size.height} pixels, more than the allowed ${maxPixels}`);
  }
  const side = maxEncodableSide[target];
  if (size.width > side || size.height > side) {
    throw new PluginError('limit_exceeded', `rendering ${label} gives ${size.width}×${size.height} pixels, too large for ${target} (at most ${side} a side)`);
  }
  const pixmap = readingPdf(label, () => page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true));
  let pixels: Buffer;
  let width: number;
  let height: number;
  try {
    width = pixmap.getWidth();
    height = pixmap.getHeight();
    // A copy out of MuPDF's memory, which the pixmap's destruction frees.
    pixels = Buffer.from(tightRows(pixmap.getPixels(), width, height, pixmap.getStride()));
  } finally {
    pixmap.destroy();
  }
  return encodePixels(pixels, width, height, target, options.quality, scale * pointsPerInch);
}

/** The pixel rows without the padding MuPDF may leave at the end of each. */
function tightRows(clamped: Uint8ClampedArray, width: number, height: number, stride: number): Uint8Array {
  const pixels = new Uint8Array(clamped.buffer, clamped.byteOffset, clamped.length);
  const rowBytes = width * 3;
  if (stride === rowBytes) return pixels;
  const tight = new Uint8Array(rowBytes * height);
  for (let row = 0; row < height; row++) tight.set(pixels.subarray(row * stride, row * stride + rowBytes), row * rowBytes);
  return tight;
}

async function encodePixels(pixels: Buffer, width: number, height: number, target: RasterFormat, quality: number | undefined, dpi: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const image = sharp(pixels, { raw: { width, height, channels: 3 } }).withMetadata({ density: dpi });
  switch (target) {
    case 'png':
      return image.png().toBuffer();
    case 'jpeg':
      return image.jpeg({ quality }).toBuffer();
    case 'webp':
      return image.webp({ quality }).toBuffer();
  }
}
