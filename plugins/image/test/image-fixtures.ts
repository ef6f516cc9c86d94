import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { decodeBmp } from '../src/bmp-decoder.js';
import type { InputFormatId, OutputFormatId } from '../src/formats.js';
import { decodeIco } from '../src/ico-decoder.js';
import { runFfmpeg, runFfmpegToFile } from './ffmpeg.js';
import { makeHeic } from './heif-fixture.js';

export { conversionContext, type RecordedContext } from '../../../test/plugin-conformance/index.js';

export const fixtureWidth = 64;
export const fixtureHeight = 48;

/** The `format` sharp's metadata reports for a file of each format it reads (AVIF is decoded by libheif). */
export const decodedFormatName: Record<Exclude<OutputFormatId, 'bmp' | 'ico'>, string> = {
  png: 'png',
  jpeg: 'jpeg',
  webp: 'webp',
  avif: 'heif',
  tiff: 'tiff',
  gif: 'gif',
};

const workDirs: string[] = [];

/** A fresh folder per test, so that parallel tests never share files; see `removeWorkDirs`. */
export async function makeWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-image-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

interface TestImageShape {
  width?: number;
  height?: number;
  /** Frames stacked vertically; more than one makes an animated image where the format allows. */
  frames?: number;
}

/** Noise (so that encoder quality visibly changes the file size) as raw RGB. */
export async function noisePixels(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .raw()
    .toBuffer();
}

/** An SVG of `width`×`height` user units with a gradient, shapes and a semi-transparent circle. */
export function testSvg(width: number, height: number): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#204080"/><stop offset="1" stop-color="#f0c020"/></linearGradient></defs>' +
    `<rect width="${width}" height="${height}" fill="url(#g)"/>` +
    `<circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" style="fill: #c02020; fill-opacity: 0.7"/>` +
    '</svg>\n'
  );
}

/** Bytes of a `format` test image, made by an encoder other than the plugin: sharp, ffmpeg, or text for SVG. */
export async function testImageBytes(format: InputFormatId, shape: TestImageShape = {}): Promise<Buffer> {
  const { width = fixtureWidth, height = fixtureHeight, frames = 1 } = shape;
  switch (format) {
    case 'svg':
      return Buffer.from(testSvg(width, height));
    case 'heic':
    case 'heif':
      return makeHeic(await noisePixels(width, height), width, height, format === 'heic' ? 'heic' : 'mif1');
    case 'bmp':
      return runFfmpeg(ffmpegImageArgs(width, height, ['-pix_fmt', 'bgr24', '-c:v', 'bmp', '-f', 'image2pipe']), await noisePixels(width, height));
    case 'ico':
      // A 32-bit BMP entry, as older icon tools write them, with ffmpeg's (empty) AND mask.
      return runFfmpegToFile(ffmpegImageArgs(width, height, ['-pix_fmt', 'bgra', '-c:v', 'bmp', '-f', 'ico']).slice(0, -1), 'ico', await noisePixels(width, height));
    default:
      return sharp({
        create: {
          width,
          height: height * frames,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
          ...(frames > 1 ? { pageHeight: height } : {}),
        },
      })
        .toFormat(format === 'avif' ? 'heif' : format, format === 'avif' ? { compression: 'av1' } : {})
        .toBuffer();
  }
}

/** ffmpeg arguments that read one raw RGB picture from stdin and write it to stdout with `output`. */
export function ffmpegImageArgs(width: number, height: number, output: string[], inputPixelFormat = 'rgb24'): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', inputPixelFormat, '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1', ...output, '-'];
}

/** Writes a test image of `format` into `dir` and returns its path. */
export async function writeTestImage(dir: string, format: InputFormatId, shape: TestImageShape = {}): Promise<string> {
  return writeBytes(dir, `input.${format}`, await testImageBytes(format, shape));
}

export async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/**
 * Decodes a converted output and says what it is: sharp for what libvips reads, the plugin's
 * own decoders for BMP and ICO (whose largest entry is reported), which ffmpeg cross-checks in
 * the codec tests.
 */
export async function inspectOutput(bytes: Buffer, to: OutputFormatId): Promise<{ format: string; width: number; height: number; channels: number }> {
  if (to === 'bmp') {
    const image = decodeBmp(bytes, defaultLimits.maxPixels);
    return { format: 'bmp', width: image.width, height: image.height, channels: image.channels };
  }
  if (to === 'ico') {
    const icon = decodeIco(bytes, defaultLimits.maxPixels);
    if (icon.kind === 'bitmap') return { format: 'ico', width: icon.pixels.width, height: icon.pixels.height, channels: icon.pixels.channels };
    // Decoding every pixel of the entry, not just its header, proves it whole.
    const { info } = await sharp(icon.png).raw().toBuffer({ resolveWithObject: true });
    return { format: 'ico', width: info.width, height: info.height, channels: info.channels };
  }
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const metadata = await sharp(bytes).metadata();
  return { format: metadata.format, width: info.width, height: info.height, channels: info.channels };
}

export function expectedFormatName(to: OutputFormatId): string {
  return to === 'bmp' || to === 'ico' ? to : decodedFormatName[to];
}
