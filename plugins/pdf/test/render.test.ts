import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { convert, expectPluginError } from './helpers.js';
import { makeTextPdf, pixelsAt, removeWorkDirs, samplePageSizes } from './pdf-fixtures.js';

afterEach(removeWorkDirs);

async function renderedSize(output: Uint8Array) {
  const metadata = await sharp(output).metadata();
  return { format: metadata.format, size: [metadata.width, metadata.height] };
}

describe('rendering pages', () => {
  it.each([1, 2, 3])('renders the page chosen by the page option (page %i)', async (page) => {
    const { output } = await convert({ from: 'pdf', to: 'png', input: await makeTextPdf(), options: { page, dpi: 72 } });
    expect(await renderedSize(output)).toEqual({ format: 'png', size: samplePageSizes[page - 1] });
  });

  it('renders at the dpi asked for', async () => {
    const { output } = await convert({ from: 'pdf', to: 'jpeg', input: await makeTextPdf(), options: { page: 3, dpi: 300 } });
    const [width, height] = samplePageSizes[2]!;
    expect(await renderedSize(output)).toEqual({ format: 'jpeg', size: [pixelsAt(width, 300), pixelsAt(height, 300)] });
  });

  it('renders to the width asked for, keeping the aspect ratio', async () => {
    const { output } = await convert({ from: 'pdf', to: 'webp', input: await makeTextPdf(), options: { page: 2, width: 600 } });
    expect(await renderedSize(output)).toEqual({ format: 'webp', size: [600, 240] });
  });

  it('draws the page: the rendering is not blank', async () => {
    const { output } = await convert({ from: 'pdf', to: 'png', input: await makeTextPdf(), options: { dpi: 100 } });
    const stats = await sharp(output).stats();
    expect(stats.channels[0]!.min).toBeLessThan(100);
    expect(stats.channels[0]!.max).toBe(255);
  });

  it('refuses a page past the end as invalid_parameter', async () => {
    await expectPluginError(convert({ from: 'pdf', to: 'png', input: await makeTextPdf(), options: { page: 4 } }), 'invalid_parameter', /has 3 pages/);
  });

  it('refuses a rendering larger than limits.maxPixels before drawing it', async () => {
    await expectPluginError(
      convert({ from: 'pdf', to: 'png', input: await makeTextPdf(), options: { dpi: 600 }, limits: { maxPixels: 1_000_000 } }),
      'limit_exceeded',
      /pixels/,
    );
  });

  it.each([
    [{ dpi: 5 }, /dpi/],
    [{ dpi: 150.5 }, /dpi/],
    [{ page: 0 }, /page/],
    [{ width: 0 }, /width/],
    [{ quality: 101 }, /quality/],
  ])('refuses the options %j as invalid_parameter', async (options, message) => {
    await expectPluginError(convert({ from: 'pdf', to: 'jpeg', input: await makeTextPdf(), options }), 'invalid_parameter', message);
  });
});

describe('every page as a zip', () => {
  it('renders every page when pages_as is an image format', async () => {
    const { output, progress } = await convert({ from: 'pdf', to: 'zip', input: await makeTextPdf(), options: { pages_as: 'png', dpi: 72 } });
    const entries = unzipSync(output);
    expect(Object.keys(entries)).toEqual(['page-001.png', 'page-002.png', 'page-003.png']);
    const sizes = await Promise.all(Object.values(entries).map(renderedSize));
    expect(sizes).toEqual(samplePageSizes.map((size) => ({ format: 'png', size })));
    // Progress per page: more reports than pages, rising, ending at 100.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
  });

  it('names JPEG pages .jpg', async () => {
    const { output } = await convert({ from: 'pdf', to: 'zip', input: await makeTextPdf(), options: { pages_as: 'jpeg', dpi: 36 } });
    const entries = unzipSync(output);
    expect(Object.keys(entries)).toEqual(['page-001.jpg', 'page-002.jpg', 'page-003.jpg']);
    for (const entry of Object.values(entries)) expect((await sharp(entry).metadata()).format).toBe('jpeg');
  });

  it('holds the zip content to limits.maxDecompressedBytes', async () => {
    await expectPluginError(
      convert({ from: 'pdf', to: 'zip', input: await makeTextPdf(), options: { pages_as: 'png', dpi: 600 }, limits: { maxDecompressedBytes: 60_000 } }),
      'limit_exceeded',
      /zip/,
    );
  });

  it('refuses an unknown pages_as as invalid_parameter', async () => {
    await expectPluginError(convert({ from: 'pdf', to: 'zip', input: await makeTextPdf(), options: { pages_as: 'gif' } }), 'invalid_parameter', /pages_as/);
  });
});

describe('text extraction', () => {
  it('gives each page its text, pages separated by a form feed', async () => {
    const texts = ['first words', 'second words', 'third words', 'fourth words'];
    const { output } = await convert({ from: 'pdf', to: 'txt', input: await makeTextPdf(texts) });
    const pages = new TextDecoder().decode(output).split('\f');
    expect(pages.map((page) => page.trim())).toEqual(texts);
  });
});
