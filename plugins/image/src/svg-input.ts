import type { Sharp } from 'sharp';
import { checkPixelLimit } from './limits.js';
import { defaultSvgDensity, maxSvgDensity, type ImageOptions } from './options.js';
import type { SharpLibrary } from './sharp-library.js';
import { checkSvgSafety } from './svg-safety.js';

export interface SvgRaster {
  /** Reads the checked SVG at the chosen density; nothing is rendered until the pipeline runs. */
  pipeline: Sharp;
  width: number;
  height: number;
  density: number;
}

/**
 * Prepares an SVG for rasterisation by librsvg: checks that it reaches nothing outside itself
 * (see svg-safety.ts), then picks the density. A requested density is taken as is; without one,
 * a requested width or height sets it, so that the vector image is drawn at the size it is
 * wanted at instead of drawn small and blown up. Either way the raster's size is computed from
 * the SVG's own size and held to `maxPixels` before anything is drawn.
 */
export async function openSvg(sharp: SharpLibrary, bytes: Buffer, options: ImageOptions, maxPixels: number): Promise<SvgRaster> {
  const svg = checkSvgSafety(bytes);
  const read = (density: number) => sharp(svg, { density, limitInputPixels: maxPixels, failOn: 'error' });
  const natural = await read(defaultSvgDensity).metadata();
  const density = options.density ?? densityForRequestedSize(natural.width, natural.height, options, maxPixels);
  const header = density === defaultSvgDensity ? natural : await read(density).metadata();
  checkPixelLimit(header.width, header.height, maxPixels, 'svg');
  return { pipeline: read(density), width: header.width, height: header.height, density };
}

function densityForRequestedSize(width: number, height: number, options: ImageOptions, maxPixels: number): number {
  const scales = [options.width === undefined ? undefined : options.width / width, options.height === undefined ? undefined : options.height / height];
  const wanted = Math.max(...scales.filter((scale): scale is number => scale !== undefined));
  if (!Number.isFinite(wanted)) return defaultSvgDensity;
  // Never drawn larger than the pixel limit allows: the resize then makes up the difference.
  const allowed = Math.sqrt(maxPixels / (width * height)) * 0.99;
  const density = defaultSvgDensity * Math.min(wanted, allowed);
  return Math.min(maxSvgDensity, Math.max(1, density));
}
