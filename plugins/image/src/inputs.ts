import { readFile } from 'node:fs/promises';
import type { ConvertContext } from '@conveyor/contracts';
import type { Sharp, SharpOptions } from 'sharp';
import { decodeBmp } from './bmp-decoder.js';
import { canBeAnimated, traitsOf, type InputFormatId, type OutputFormatId } from './formats.js';
import { decodeHeic } from './heic-decoder.js';
import { heifDimensions } from './heif-header.js';
import { decodeIco } from './ico-decoder.js';
import { checkPixelLimit } from './limits.js';
import type { ImageOptions } from './options.js';
import type { RawImage } from './raw-image.js';
import type { SharpLibrary } from './sharp-library.js';
import { openSvg } from './svg-input.js';

/** An input ready for sharp's pipeline, with its size as it will be seen (after EXIF orientation). */
export interface OpenedImage {
  pipeline: Sharp;
  width: number;
  height: number;
}

/**
 * Opens the input for the pipeline, holding it to `limits.maxPixels` before its pixels are
 * decoded: sharp checks its own formats' headers (`limitInputPixels`), and the formats decoded
 * here (BMP, ICO, HEIC/HEIF) are checked from their headers before a pixel buffer exists.
 */
export async function openInput(sharp: SharpLibrary, ctx: ConvertContext, from: InputFormatId, to: OutputFormatId, options: ImageOptions): Promise<OpenedImage> {
  const maxPixels = ctx.limits.maxPixels;
  const readOptions: SharpOptions = { limitInputPixels: maxPixels, failOn: 'error' };
  switch (from) {
    case 'bmp':
      return fromPixels(sharp, decodeBmp(await readFile(ctx.inputPath), maxPixels), readOptions);
    case 'ico': {
      const icon = decodeIco(await readFile(ctx.inputPath), maxPixels);
      if (icon.kind === 'bitmap') return fromPixels(sharp, icon.pixels, readOptions);
      return { pipeline: sharp(icon.png, readOptions), width: icon.width, height: icon.height };
    }
    case 'heic':
    case 'heif': {
      const bytes = await readFile(ctx.inputPath);
      const declared = heifDimensions(bytes, from);
      checkPixelLimit(declared.width, declared.height, maxPixels, from);
      const pixels = await decodeHeic(bytes, { format: from, maxPixels, signal: ctx.signal, timeoutMs: ctx.limits.timeoutMs });
      return fromPixels(sharp, pixels, readOptions);
    }
    case 'svg':
      return openSvg(sharp, await readFile(ctx.inputPath), options, maxPixels);
    default: {
      // Read every frame only when the target can keep them; otherwise the first frame is the image.
      const animated = canBeAnimated(from) && traitsOf(to).animated;
      const pipeline = sharp(ctx.inputPath, { ...readOptions, animated });
      const header = await pipeline.metadata();
      checkPixelLimit(header.width, header.height, maxPixels, from);
      return { pipeline: pipeline.autoOrient(), width: header.autoOrient.width, height: header.autoOrient.height };
    }
  }
}

function fromPixels(sharp: SharpLibrary, image: RawImage, readOptions: SharpOptions): OpenedImage {
  const pipeline = sharp(image.data, { ...readOptions, raw: { width: image.width, height: image.height, channels: image.channels } });
  return { pipeline, width: image.width, height: image.height };
}
