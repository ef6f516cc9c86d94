import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBmp } from '../src/bmp-decoder.js';
import type { InputFormatId, OutputFormatId } from '../src/formats.js';
import { imageCapabilities, imagePlugin } from '../src/index.js';
import {
  conversionContext,
  expectedFormatName,
  fixtureHeight,
  fixtureWidth,
  inspectOutput,
  makeWorkDir,
  removeWorkDirs,
  testImageBytes,
  writeBytes,
  writeTestImage,
} from './image-fixtures.js';

afterEach(removeWorkDirs);

/** Inputs made once per format (some by ffmpeg), written afresh for each test. */
const inputs = new Map<InputFormatId, Promise<Buffer>>();
function inputBytes(format: InputFormatId): Promise<Buffer> {
  if (!inputs.has(format)) inputs.set(format, testImageBytes(format));
  return inputs.get(format)!;
}

async function convertFile(inputPath: string, from: InputFormatId, to: OutputFormatId, options: Record<string, unknown> = {}) {
  const outputPath = join(inputPath, '..', `output.${to}`);
  const { ctx, progress } = conversionContext({ inputPath, outputPath, from, to, options });
  await imagePlugin.convert(ctx);
  return { outputPath, progress, bytes: await readFile(outputPath) };
}

async function convert(from: InputFormatId, to: OutputFormatId, options: Record<string, unknown> = {}) {
  const dir = await makeWorkDir();
  return convertFile(await writeBytes(dir, `input.${from}`, await inputBytes(from)), from, to, options);
}

/** A 64×48 PNG, transparent on its left half and opaque green on its right. */
async function halfTransparentPng(dir: string): Promise<string> {
  const pixels = Buffer.alloc(fixtureWidth * fixtureHeight * 4);
  for (let y = 0; y < fixtureHeight; y++) for (let x = fixtureWidth / 2; x < fixtureWidth; x++) pixels.set([0, 255, 0, 255], (y * fixtureWidth + x) * 4);
  return writeBytes(dir, 'input.png', await sharp(pixels, { raw: { width: fixtureWidth, height: fixtureHeight, channels: 4 } }).png().toBuffer());
}

async function rgbAt(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}

function presetParams(from: string, to: string, id: string): Record<string, unknown> {
  const preset = imageCapabilities.find((capability) => capability.from === from && capability.to === to)?.presets?.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no ${id} preset for ${from} → ${to}`);
  return preset.params;
}

describe('image conversions', () => {
  const pairs = imageCapabilities.map((capability) => [capability.from as InputFormatId, capability.to as OutputFormatId] as const);

  it.each(pairs)('converts %s to %s, keeping the dimensions', async (from, to) => {
    const decoded = await inspectOutput((await convert(from, to)).bytes, to);
    expect(decoded.format).toBe(expectedFormatName(to));
    expect([decoded.width, decoded.height]).toEqual([fixtureWidth, fixtureHeight]);
  });

  it('reports progress that only rises within 0–100 and ends at 100', async () => {
    const { progress } = await convert('png', 'webp');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((percent) => percent >= 0 && percent <= 100)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
  });

  it.each(['jpeg', 'webp', 'avif'] as const)('encodes %s smaller with the web preset than with high', async (to) => {
    const web = await convert('png', to, presetParams('png', to, 'web'));
    const high = await convert('png', to, presetParams('png', to, 'high'));
    expect(web.bytes.length).toBeLessThan(high.bytes.length);
  });

  it('encodes JPEG smaller at a lower quality', async () => {
    const low = await convert('png', 'jpeg', { quality: 10 });
    const high = await convert('png', 'jpeg', { quality: 95 });
    expect((await stat(low.outputPath)).size).toBeLessThan((await stat(high.outputPath)).size);
  });

  it('keeps every pixel with the WebP lossless preset', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const { bytes } = await convertFile(inputPath, 'png', 'webp', presetParams('png', 'webp', 'lossless'));
    const original = await sharp(inputPath).raw().toBuffer();
    expect((await sharp(bytes).raw().toBuffer()).equals(original)).toBe(true);
    const lossy = await convertFile(inputPath, 'png', 'webp', presetParams('png', 'webp', 'high'));
    expect((await sharp(lossy.bytes).raw().toBuffer()).equals(original)).toBe(false);
  });

  it('keeps every pixel through BMP and ICO, whose lossless preset has nothing to set', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const original = await sharp(inputPath).raw().toBuffer();
    const bmp = await convertFile(inputPath, 'png', 'bmp', presetParams('png', 'bmp', 'lossless'));
    expect(decodeBmp(bmp.bytes, 1e9).data.equals(original)).toBe(true);
    const backToPng = await convertFile(await writeBytes(dir, 'again.ico', (await convertFile(inputPath, 'png', 'ico')).bytes), 'ico', 'png');
    expect((await sharp(backToPng.bytes).raw().toBuffer()).equals(original)).toBe(true);
  });

  it('resizes to a width, keeping the aspect ratio', async () => {
    const { bytes } = await convert('png', 'jpeg', { width: 32 });
    expect(await inspectOutput(bytes, 'jpeg')).toMatchObject({ width: 32, height: 24 });
  });

  it.each([
    ['cover', 32, 32],
    ['contain', 32, 32],
    ['fill', 32, 32],
    ['inside', 32, 24],
    ['outside', 43, 32],
  ])('fits a 64×48 image into 32×32 with fit=%s as %i×%i', async (fit, width, height) => {
    const { bytes } = await convert('bmp', 'png', { width: 32, height: 32, fit });
    expect(await inspectOutput(bytes, 'png')).toMatchObject({ width, height });
  });

  it('flattens transparency onto the background colour for JPEG, and onto white without one', async () => {
    const dir = await makeWorkDir();
    const inputPath = await halfTransparentPng(dir);
    const red = await convertFile(inputPath, 'png', 'jpeg', { background: '#ff0000' });
    const [r, g, b] = await rgbAt(red.bytes, 5, 5);
    expect(r).toBeGreaterThan(245);
    expect(Math.max(g!, b!)).toBeLessThan(10);
    const white = await convertFile(inputPath, 'png', 'jpeg');
    expect((await rgbAt(white.bytes, 5, 5)).every((value) => value > 245)).toBe(true);
  });

  it('keeps transparency in a BMP (32-bit) rather than flattening it', async () => {
    const dir = await makeWorkDir();
    const { bytes } = await convertFile(await halfTransparentPng(dir), 'png', 'bmp', { background: 'blue' });
    const image = decodeBmp(bytes, 1e9);
    expect(image.channels).toBe(4);
    expect([...image.data.subarray(3, 4), ...image.data.subarray((fixtureWidth - 1) * 4, fixtureWidth * 4)]).toEqual([0, 0, 255, 0, 255]);
  });

  it('letterboxes fit=contain with the background colour, given as bare hex', async () => {
    const { bytes } = await convert('bmp', 'png', { width: 64, height: 64, fit: 'contain', background: '0000ff' });
    expect(await inspectOutput(bytes, 'png')).toMatchObject({ width: 64, height: 64 });
    expect((await rgbAt(bytes, 32, 1)).slice(0, 3)).toEqual([0, 0, 255]);
  });

  it('letterboxes fit=contain with transparency by default where the target keeps it', async () => {
    const { bytes } = await convert('bmp', 'png', { width: 64, height: 64, fit: 'contain' });
    expect((await rgbAt(bytes, 32, 1))[3]).toBe(0);
  });

  it('keeps the frames of an animated GIF converted to WebP', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'gif', { frames: 3 });
    const { bytes } = await convertFile(inputPath, 'gif', 'webp');
    const metadata = await sharp(bytes).metadata();
    expect(metadata.pages).toBe(3);
    expect([metadata.width, metadata.height]).toEqual([fixtureWidth, fixtureHeight]);
  });

  it('takes the first frame of an animated GIF converted to PNG', async () => {
    const dir = await makeWorkDir();
    const { bytes } = await convertFile(await writeTestImage(dir, 'gif', { frames: 3 }), 'gif', 'png');
    expect(await inspectOutput(bytes, 'png')).toMatchObject({ width: fixtureWidth, height: fixtureHeight });
  });

  it('turns the image upright according to its EXIF orientation', async () => {
    const dir = await makeWorkDir();
    const inputPath = join(dir, 'rotated.jpeg');
    // Orientation 6: the stored pixels must be turned 90° clockwise to be seen upright.
    await sharp(await writeTestImage(dir, 'png')).jpeg().withMetadata({ orientation: 6 }).toFile(inputPath);
    const { bytes } = await convertFile(inputPath, 'jpeg', 'png');
    expect(await inspectOutput(bytes, 'png')).toMatchObject({ width: fixtureHeight, height: fixtureWidth });
  });

  it('resizes an EXIF-rotated image by its upright aspect', async () => {
    const dir = await makeWorkDir();
    const inputPath = join(dir, 'rotated.jpeg');
    await sharp(await writeTestImage(dir, 'png')).jpeg().withMetadata({ orientation: 6 }).toFile(inputPath);
    const { bytes } = await convertFile(inputPath, 'jpeg', 'png', { height: 32 });
    expect(await inspectOutput(bytes, 'png')).toMatchObject({ width: 24, height: 32 });
  });
});
