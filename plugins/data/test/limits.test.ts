import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { dataPlugin } from '../src/index.js';
import { conversionError, convert, makeWorkDir, removeWorkDirs, samples } from './data-fixtures.js';

afterAll(removeWorkDirs);

/** A CSV big enough to be read in many chunks (about 6 MB). */
function bigCsv(rows: number): string {
  const lines = ['id,name,note'];
  for (let index = 0; index < rows; index++) lines.push(`${index},name ${index},"a note, with a comma, for row ${index}"`);
  return `${lines.join('\n')}\n`;
}

describe('limits', () => {
  it('an xlsx that declares more uncompressed bytes than maxDecompressedBytes is refused before it is inflated', async () => {
    const workbook = await samples.xlsx!();
    const error = await conversionError('xlsx', 'csv', workbook, {}, { limits: { ...defaultLimits, maxDecompressedBytes: workbook.length + 1 } });
    expect(error.code).toBe('limit_exceeded');
    expect(error.message).toMatch(/expands to \d+ bytes/);
  });

  it('a tree input larger than maxDecompressedBytes is refused (it would be held whole in memory)', async () => {
    const error = await conversionError('json', 'yaml', JSON.stringify({ a: 'x'.repeat(2000) }), {}, { limits: { ...defaultLimits, maxDecompressedBytes: 1000 } });
    expect(error.code).toBe('limit_exceeded');
  });

  it('a table wider than an xlsx sheet is refused with limit_exceeded', async () => {
    const wide = Object.fromEntries(Array.from({ length: 16_385 }, (_, index) => [`c${index}`, index]));
    const error = await conversionError('json', 'xlsx', JSON.stringify([wide]));
    expect(error.code).toBe('limit_exceeded');
  });
});

describe('large inputs', () => {
  it('stream with progress reported as rows are read, ending at 100', async () => {
    const { text, progress } = await convert('csv', 'ndjson', bigCsv(100_000));
    expect(text.split('\n').length).toBe(100_001);
    expect(progress[0]).toBeLessThan(100);
    expect(progress.filter((percent) => percent > 5 && percent < 99).length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(100);
  }, 30_000);

  it.each(['json', 'xlsx'])('stop promptly when cancelled mid-way through the rows (csv → %s), leaving no output', async (to) => {
    const dir = await makeWorkDir();
    const inputPath = join(dir, 'input.csv');
    const outputPath = join(dir, `output.${to}`);
    await writeFile(inputPath, bigCsv(100_000));
    const controller = new AbortController();
    let abortedAt = 0;
    const quiet = () => undefined;
    const conversion = dataPlugin.convert({
      inputPath,
      outputPath,
      from: 'csv',
      to,
      options: {},
      signal: controller.signal,
      progress: (percent) => {
        if (percent >= 30 && !controller.signal.aborted) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      limits: defaultLimits,
    });
    const error = await conversion.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('cancelled');
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(existsSync(outputPath)).toBe(false);
    // Nothing left running in the background writes there afterwards either.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await readdir(dir)).toEqual(['input.csv']);
  }, 30_000);
});
