import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConvertContext } from '@conveyor/contracts';
import sharp from 'sharp';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import type { ImageFormatId } from '../src/formats.js';

export const fixtureWidth = 64;
export const fixtureHeight = 48;

/** The `format` sharp's metadata reports for a file of each format (AVIF is decoded by libheif). */
export const decodedFormatName: Record<ImageFormatId, string> = {
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

/**
 * Writes a noisy image (noise, so that encoder quality visibly changes the file size) and
 * returns its path.
 */
export async function writeTestImage(dir: string, format: ImageFormatId, shape: TestImageShape = {}): Promise<string> {
  const { width = fixtureWidth, height = fixtureHeight, frames = 1 } = shape;
  const path = join(dir, `input.${format}`);
  await sharp({
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
    .toFile(path);
  return path;
}

export async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

export interface RecordedContext {
  ctx: ConvertContext;
  /** Every value passed to `ctx.progress`, in order. */
  progress: number[];
}

/** A ConvertContext with generous limits and a silent logger; `overrides` replace any field. */
export function conversionContext(overrides: Partial<ConvertContext> & Pick<ConvertContext, 'inputPath' | 'outputPath' | 'from' | 'to'>): RecordedContext {
  const progress: number[] = [];
  const silent = () => undefined;
  const ctx: ConvertContext = {
    options: {},
    signal: new AbortController().signal,
    progress: (percent) => progress.push(percent),
    log: { debug: silent, info: silent, warn: silent, error: silent },
    limits: defaultLimits,
    ...overrides,
  };
  return { ctx, progress };
}
