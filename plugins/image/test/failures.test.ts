import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { imagePlugin } from '../src/index.js';
import type { InputFormatId } from '../src/formats.js';
import { conversionContext, makeWorkDir, removeWorkDirs, testImageBytes, writeBytes, writeTestImage } from './image-fixtures.js';

afterEach(removeWorkDirs);

const exists = (path: string) => access(path).then(() => true, () => false);

async function expectPluginError(work: Promise<unknown>, code: string, message?: RegExp) {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginError);
  expect((error as PluginError).code).toBe(code);
  if (message) expect((error as PluginError).message).toMatch(message);
}

/** The PNG → AVIF conversion of `inputPath`, uncancelled, to another file in `dir`. */
async function convertUncancelled(dir: string, inputPath: string): Promise<void> {
  await imagePlugin.convert(conversionContext({ inputPath, outputPath: join(dir, 'uncancelled.avif'), from: 'png', to: 'avif' }).ctx);
}

describe('image conversion failures', () => {
  it('rejects bytes that are not an image as invalid_input, naming the format', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, 'input.png', new TextEncoder().encode('this is not a picture'));
    const outputPath = join(dir, 'output.jpeg');
    await expectPluginError(imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'png', to: 'jpeg' }).ctx), 'invalid_input', /PNG/);
    expect(await exists(outputPath)).toBe(false);
  });

  it.each(['bmp', 'ico', 'heic', 'heif', 'svg'] as const)('rejects text that is not a %s image as invalid_input', async (from) => {
    const dir = await makeWorkDir();
    const inputPath = await writeBytes(dir, `input.${from}`, new TextEncoder().encode('this is not a picture'));
    const outputPath = join(dir, 'output.png');
    await expectPluginError(imagePlugin.convert(conversionContext({ inputPath, outputPath, from, to: 'png' }).ctx), 'invalid_input');
    expect(await exists(outputPath)).toBe(false);
  });

  it('rejects a truncated JPEG as invalid_input and leaves no output', async () => {
    const dir = await makeWorkDir();
    const whole = await readFile(await writeTestImage(dir, 'jpeg'));
    const inputPath = await writeBytes(dir, 'truncated.jpeg', whole.subarray(0, whole.length / 2));
    const outputPath = join(dir, 'output.png');
    await expectPluginError(imagePlugin.convert(conversionContext({ inputPath, outputPath, from: 'jpeg', to: 'png' }).ctx), 'invalid_input', /JPEG/);
    expect(await exists(outputPath)).toBe(false);
  });

  it.each(['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif', 'bmp', 'ico', 'heic', 'heif', 'svg'] as const)(
    'rejects a %s image with more pixels than limits.maxPixels as limit_exceeded',
    async (from: InputFormatId) => {
      const dir = await makeWorkDir();
      const inputPath = await writeBytes(dir, `input.${from}`, await testImageBytes(from));
      const outputPath = join(dir, from === 'webp' ? 'output.png' : 'output.webp');
      const { ctx } = conversionContext({ inputPath, outputPath, from, to: from === 'webp' ? 'png' : 'webp', limits: { ...defaultLimits, maxPixels: 1000 } });
      await expectPluginError(imagePlugin.convert(ctx), 'limit_exceeded');
      expect(await exists(outputPath)).toBe(false);
    },
  );

  it('refuses to enlarge a small image past limits.maxPixels', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const outputPath = join(dir, 'output.webp');
    const { ctx } = conversionContext({ inputPath, outputPath, from: 'png', to: 'webp', options: { width: 16000 }, limits: { ...defaultLimits, maxPixels: 1_000_000 } });
    await expectPluginError(imagePlugin.convert(ctx), 'limit_exceeded', /12000/);
    expect(await exists(outputPath)).toBe(false);
  });

  it.each([
    ['quality', 0],
    ['quality', 101],
    ['quality', 50.5],
    ['quality', '80'],
    ['quality', null],
    ['width', 0],
    ['height', 20000],
    ['fit', 'stretch'],
    ['lossless', 'yes'],
    ['background', 'not-a-colour'],
    ['background', '#ggg'],
    ['background', 42],
    ['density', 0],
  ])('rejects %s %j as invalid_parameter, naming it', async (name, value) => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const outputPath = join(dir, 'output.jpeg');
    const { ctx } = conversionContext({ inputPath, outputPath, from: 'png', to: 'jpeg', options: { [name]: value } });
    await expectPluginError(imagePlugin.convert(ctx), 'invalid_parameter', new RegExp(name));
    expect(await exists(outputPath)).toBe(false);
  });

  it('does not start when the signal is already aborted', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const outputPath = join(dir, 'output.jpeg');
    const { ctx, progress } = conversionContext({ inputPath, outputPath, from: 'png', to: 'jpeg', signal: AbortSignal.abort() });
    await expectPluginError(imagePlugin.convert(ctx), 'cancelled');
    expect(progress).toEqual([]);
    expect(await exists(outputPath)).toBe(false);
  });

  it('answers a cancel during the conversion at once, and sharp, left to finish, writes nothing', async () => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const outputPath = join(dir, 'output.avif');
    const cancel = new AbortController();
    const { ctx } = conversionContext({ inputPath, outputPath, from: 'png', to: 'avif', signal: cancel.signal });
    ctx.progress = () => cancel.abort();
    await expectPluginError(imagePlugin.convert(ctx), 'cancelled');
    // The same encode, uncancelled, finishes well within this wait: the cancelled one had time to write too.
    await convertUncancelled(dir, inputPath);
    expect(await exists(outputPath)).toBe(false);
  });

  it.each([
    ['png', 'pdf'],
    ['pdf', 'png'],
    ['png', 'heic'],
    ['png', 'svg'],
  ])('rejects %s → %s, which it does not handle, as unsupported_conversion', async (from, to) => {
    const dir = await makeWorkDir();
    const inputPath = await writeTestImage(dir, 'png');
    const { ctx } = conversionContext({ inputPath, outputPath: join(dir, `output.${to}`), from, to });
    await expectPluginError(imagePlugin.convert(ctx), 'unsupported_conversion');
  });
});
