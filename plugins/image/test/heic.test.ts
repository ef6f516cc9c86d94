import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { heifDimensions } from '../src/heif-header.js';
import { imagePlugin } from '../src/index.js';
import { makeHeic } from './heif-fixture.js';
import { conversionContext, makeWorkDir, removeWorkDirs, writeBytes } from './image-fixtures.js';

afterEach(removeWorkDirs);

const exists = (path: string) => access(path).then(() => true, () => false);

function flatRgb(width: number, height: number, colour: [number, number, number]): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let offset = 0; offset < pixels.length; offset += 3) pixels.set(colour, offset);
  return pixels;
}

async function outcome(work: Promise<unknown>): Promise<PluginError> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('HEIC and HEIF input', () => {
  it('reads the declared size from the ispe box', async () => {
    const heic = await makeHeic(flatRgb(64, 48, [0, 0, 0]), 64, 48);
    expect(heifDimensions(heic, 'heic')).toEqual({ width: 64, height: 48 });
  });

  it.each([
    ['heic', 'heic'],
    ['heif', 'mif1'],
  ] as const)('converts a %s file to PNG with its size and colours', async (format, brand) => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, `input.${format}`, await makeHeic(flatRgb(64, 48, [200, 40, 40]), 64, 48, brand));
    const outputPath = join(dir, 'output.png');
    await imagePlugin.convert(conversionContext({ inputPath, outputPath, from: format, to: 'png' }).ctx);
    const { data, info } = await sharp(outputPath).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([64, 48, 3]);
    // HEVC is lossy and stores 4:2:0 YUV: the colour comes back close, not exact.
    const centre = (24 * 64 + 32) * 3;
    for (const [index, expected] of [200, 40, 40].entries()) expect(Math.abs(data[centre + index]! - expected)).toBeLessThanOrEqual(6);
  });

  it('refuses an ispe claiming more than the pixel limit without decoding (the coded picture is only 64×48)', async () => {
    const dir = await makeWorkDir();
    const heic = await makeHeic(flatRgb(64, 48, [0, 0, 0]), 64, 48);
    const ispe = heic.indexOf('ispe', 0, 'latin1');
    heic.writeUInt32BE(40_000, ispe + 8);
    heic.writeUInt32BE(40_000, ispe + 12);
    const inputPath = await writeBytes(dir, 'huge.heic', heic);
    const outputPath = join(dir, 'output.png');
    const { ctx, progress } = conversionContext({ inputPath, outputPath, from: 'heic', to: 'png' });
    const error = await outcome(imagePlugin.convert(ctx));
    expect(error.code).toBe('limit_exceeded');
    expect(error.message).toMatch(/40000×40000/);
    expect(progress.filter((percent) => percent >= 30)).toEqual([]);
    expect(await exists(outputPath)).toBe(false);
  });

  it('refuses a HEIC larger than a small limit', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, 'input.heic', await makeHeic(flatRgb(64, 48, [0, 0, 0]), 64, 48));
    const { ctx } = conversionContext({ inputPath, outputPath: join(dir, 'output.png'), from: 'heic', to: 'png', limits: { ...defaultLimits, maxPixels: 1000 } });
    expect((await outcome(imagePlugin.convert(ctx))).code).toBe('limit_exceeded');
  });

  it('rejects a HEIC whose coded data is cut short as invalid_input', async () => {
    const dir = await makeWorkDir();
    const whole = await makeHeic(flatRgb(64, 48, [0, 0, 0]), 64, 48);
    const inputPath = await writeBytes(dir, 'cut.heic', whole.subarray(0, whole.length - 200));
    const outputPath = join(dir, 'output.jpeg');
    const error = await outcome(imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'heic', to: 'jpeg' }).ctx));
    expect(error.code).toBe('invalid_input');
    expect(await exists(outputPath)).toBe(false);
  });

  it('stops the decoder thread on a cancel and answers at once', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, 'input.heic', await makeHeic(flatRgb(64, 48, [0, 0, 0]), 64, 48));
    const outputPath = join(dir, 'output.png');
    const cancel = new AbortController();
    const { ctx } = conversionContext({ inputPath, outputPath, from: 'heic', to: 'png', signal: cancel.signal });
    let cancelledAt = 0;
    ctx.progress = () => {
      cancelledAt = performance.now();
      cancel.abort();
    };
    const error = await outcome(imagePlugin.convert(ctx));
    expect(error.code).toBe('cancelled');
    expect(performance.now() - cancelledAt).toBeLessThan(200);
    expect(await readFile(outputPath).catch(() => undefined)).toBeUndefined();
  });
});
