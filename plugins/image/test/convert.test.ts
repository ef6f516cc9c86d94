import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { imageCapabilities, imagePlugin } from '../src/index.js';
import type { ImageFormatId } from '../src/formats.js';
import { conversionContext, decodedFormatName, fixtureHeight, fixtureWidth, makeWorkDir, removeWorkDirs, writeTestImage } from './image-fixtures.js';

afterEach(removeWorkDirs);

async function convert(from: ImageFormatId, to: ImageFormatId, options: Record<string, unknown> = {}, frames = 1) {
  const dir = await makeWorkDir();
  const inputPath = await writeTestImage(dir, from, { frames });
  const outputPath = join(dir, `output.${to}`);
  const { ctx, progress } = conversionContext({ inputPath, outputPath, from, to, options });
  await imagePlugin.convert(ctx);
  return { outputPath, progress, metadata: await sharp(outputPath).metadata() };
}

describe('image conversions', () => {
  const pairs = imageCapabilities.map((capability) => [capability.from as ImageFormatId, capability.to as ImageFormatId] as const);

  it.each(pairs)('converts %s to %s, keeping the dimensions', async (from, to) => {
    const { metadata } = await convert(from, to);
    expect(metadata.format).toBe(decodedFormatName[to]);
    expect([metadata.width, metadata.height]).toEqual([fixtureWidth, fixtureHeight]);
  });

  it('reports progress that only rises within 0–100 and ends at 100', async () => {
    const { progress } = await convert('png', 'webp');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((percent) => percent >= 0 && percent <= 100)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
  });

  it('encodes JPEG smaller at a lower quality', async () => {
    const low = await convert('png', 'jpeg', { quality: 10 });
    const high = await convert('png', 'jpeg', { quality: 95 });
    expect((await stat(low.outputPath)).size).toBeLessThan((await stat(high.outputPath)).size);
  });

  it('encodes WebP smaller at a lower quality', async () => {
    const low = await convert('png', 'webp', { quality: 10 });
    const high = await convert('png', 'webp', { quality: 95 });
    expect((await stat(low.outputPath)).size).toBeLessThan((await stat(high.outputPath)).size);
  });

  it('resizes to a width, keeping the aspect ratio', async () => {
    const { metadata } = await convert('png', 'jpeg', { width: 32 });
    expect([metadata.width, metadata.height]).toEqual([32, 24]);
  });

  it('keeps the frames of an animated GIF converted to WebP', async () => {
    const { metadata } = await convert('gif', 'webp', {}, 3);
    expect(metadata.pages).toBe(3);
    expect([metadata.width, metadata.height]).toEqual([fixtureWidth, fixtureHeight]);
  });

  it('takes the first frame of an animated GIF converted to PNG', async () => {
    const { metadata } = await convert('gif', 'png', {}, 3);
    expect([metadata.width, metadata.height]).toEqual([fixtureWidth, fixtureHeight]);
  });

  it('turns the image upright according to its EXIF orientation', async () => {
    const dir = await makeWorkDir();
    const inputPath = join(dir, 'rotated.jpeg');
    // Orientation 6: the stored pixels must be turned 90° clockwise to be seen upright.
    await sharp(await writeTestImage(dir, 'png')).jpeg().withMetadata({ orientation: 6 }).toFile(inputPath);
    const outputPath = join(dir, 'upright.png');
    await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'jpeg', to: 'png' }).ctx);
    const metadata = await sharp(outputPath).metadata();
    expect([metadata.width, metadata.height]).toEqual([fixtureHeight, fixtureWidth]);
  });
});
