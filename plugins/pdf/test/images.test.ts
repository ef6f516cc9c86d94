import { afterEach, describe, expect, it } from 'vitest';
import { convert, expectPluginError } from './helpers.js';
import { fixtureHeight, fixtureWidth, makeImage, pageSizes, removeWorkDirs, type SampleImageFormat } from './pdf-fixtures.js';

afterEach(removeWorkDirs);

describe('images to PDF', () => {
  it.each<SampleImageFormat>(['png', 'jpeg', 'webp', 'tiff'])('makes a %s into one page of its size', async (format) => {
    const { output } = await convert({ from: format, to: 'pdf', input: await makeImage(format) });
    expect(await pageSizes(output)).toEqual([[fixtureWidth, fixtureHeight]]);
  });

  it('sizes the page by the resolution the image states', async () => {
    const { output } = await convert({ from: 'jpeg', to: 'pdf', input: await makeImage('jpeg', { density: 144 }) });
    expect(await pageSizes(output)).toEqual([[fixtureWidth / 2, fixtureHeight / 2]]);
  });

  it('makes each page of a multi-page TIFF a page', async () => {
    const { output, progress } = await convert({ from: 'tiff', to: 'pdf', input: await makeImage('tiff', { pages: 3 }) });
    expect(await pageSizes(output)).toEqual(Array.from({ length: 3 }, () => [fixtureWidth, fixtureHeight]));
    expect(progress.length).toBeGreaterThanOrEqual(4);
  });

  it('holds a multi-page TIFF to limits.maxPages', async () => {
    await expectPluginError(convert({ from: 'tiff', to: 'pdf', input: await makeImage('tiff', { pages: 3 }), limits: { maxPages: 2 } }), 'limit_exceeded', /pages/);
  });

  it('refuses an image with more pixels than limits.maxPixels', async () => {
    await expectPluginError(convert({ from: 'png', to: 'pdf', input: await makeImage('png'), limits: { maxPixels: 1000 } }), 'limit_exceeded', /pixels/);
  });

  it.each<SampleImageFormat>(['png', 'jpeg'])('refuses a truncated %s as invalid_input', async (format) => {
    const whole = await makeImage(format);
    await expectPluginError(convert({ from: format, to: 'pdf', input: whole.subarray(0, whole.length / 2) }), 'invalid_input', new RegExp(format));
  });
});
