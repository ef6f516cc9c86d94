import { PluginError } from '@conveyor/contracts';
import type { Sharp } from 'sharp';
import { encodeBmp } from './bmp-encoder.js';
import type { OutputFormatId } from './formats.js';
import { encodeIco, iconBoxes, type IconPng } from './ico-encoder.js';
import type { ImageOptions } from './options.js';
import type { RawImage } from './raw-image.js';
import type { SharpLibrary } from './sharp-library.js';

type EncoderSettings = Pick<ImageOptions, 'quality' | 'lossless'>;

/**
 * Sets sharp's encoder for `target`. `quality` and `lossless` reach only the encoders that have
 * them; left undefined, sharp's own default for that format applies.
 */
export function encodeAs(pipeline: Sharp, target: Exclude<OutputFormatId, 'bmp' | 'ico'>, settings: EncoderSettings = {}): Sharp {
  const { quality, lossless } = settings;
  switch (target) {
    case 'png':
      return pipeline.png();
    case 'jpeg':
      return pipeline.jpeg({ quality });
    case 'webp':
      return pipeline.webp({ quality, lossless });
    case 'avif':
      return pipeline.avif({ quality, lossless });
    case 'tiff':
      // sharp's TIFF default is JPEG compression; LZW keeps TIFF lossless, as its capabilities declare.
      return pipeline.tiff({ compression: 'lzw' });
    case 'gif':
      return pipeline.gif();
  }
}

/** Runs `pipeline` and encodes its result as `target`: by sharp, or, for BMP and ICO, which libvips cannot write, here. */
export async function encodeImage(sharp: SharpLibrary, pipeline: Sharp, target: OutputFormatId, settings: EncoderSettings): Promise<Buffer> {
  if (target === 'bmp') return encodeBmp(await toRawImage(pipeline));
  if (target === 'ico') return encodeIcon(sharp, await toRawImage(pipeline));
  return encodeAs(pipeline, target, settings).toBuffer();
}

/** The pipeline's result as 8-bit sRGB pixels: RGB, or RGBA when it has an alpha channel. */
async function toRawImage(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) {
    throw new PluginError('conversion_failed', `expected RGB or RGBA pixels to encode, got ${info.channels} channels`);
  }
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** An icon with the image fitted into 256×256 and the standard smaller sizes below it (see `iconBoxes`), each a PNG entry. */
async function encodeIcon(sharp: SharpLibrary, image: RawImage): Promise<Buffer> {
  const entries: IconPng[] = [];
  for (const side of iconBoxes(image.width, image.height)) {
    const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
    if (!entries.some((entry) => entry.width === info.width && entry.height === info.height)) entries.push({ png: data, width: info.width, height: info.height });
  }
  return encodeIco(entries);
}
