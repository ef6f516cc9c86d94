import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { imagePlugin } from '../src/index.js';
import { conversionContext, makeWorkDir, removeWorkDirs, writeBytes } from './image-fixtures.js';

afterEach(removeWorkDirs);

/** A JPEG that carries what a phone writes: EXIF with the author and camera, and a Display P3 colour profile. */
async function phoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
    .withIccProfile('p3')
    .withExif({ IFD0: { Artist: 'Ada Lovelace', Model: 'Pixel 9', Software: 'Camera 1.2' } })
    .jpeg()
    .toBuffer();
}

async function convert(to: 'jpeg' | 'webp' | 'png', options: Record<string, unknown>) {
  const dir = await makeWorkDir();
  const inputPath = await writeBytes(dir, 'input.jpeg', await phoneJpeg());
  const outputPath = join(dir, `output.${to}`);
  await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'jpeg', to, options }).ctx);
  return sharp(await readFile(outputPath)).metadata();
}

describe('metadata in image conversions', () => {
  it('declares that it handles preserve_metadata itself', () => {
    expect(imagePlugin.handlesMetadata).toBe(true);
  });

  it.each(['jpeg', 'webp', 'png'] as const)('drops EXIF but keeps the colour profile by default (to %s)', async (to) => {
    const metadata = await convert(to, {});
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(['jpeg', 'webp'] as const)('keeps EXIF with preserve_metadata: true (to %s)', async (to) => {
    const metadata = await convert(to, { preserve_metadata: true });
    expect(metadata.exif?.toString('latin1')).toContain('Ada Lovelace');
    expect(metadata.icc?.length ?? 0).toBeGreaterThan(0);
  });
});
