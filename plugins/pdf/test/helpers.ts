import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { expect } from 'vitest';
import { pdfPlugin } from '../src/index.js';
import { conversionContext, makeWorkDir, writeBytes } from './pdf-fixtures.js';

export const exists = (path: string) => access(path).then(() => true, () => false);

export async function expectPluginError(work: Promise<unknown>, code: string, message?: RegExp): Promise<PluginError> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginError);
  expect((error as PluginError).code).toBe(code);
  if (message) expect((error as PluginError).message).toMatch(message);
  return error as PluginError;
}

interface Conversion {
  from: string;
  to: string;
  input: Uint8Array;
  options?: Record<string, unknown>;
  additionalInputs?: Uint8Array[];
  limits?: Partial<ConvertContext['limits']>;
}

/** Runs the plugin on `input` in a fresh folder; resolves with the output, or rejects as the plugin did (leaving no output). */
export async function convert({ from, to, input, options = {}, additionalInputs = [], limits = {} }: Conversion): Promise<{ output: Uint8Array; progress: number[] }> {
  const dir = await makeWorkDir();
  const inputPath = await writeBytes(dir, `input.${from}`, input);
  const additionalInputPaths = await Promise.all(additionalInputs.map((bytes, index) => writeBytes(dir, `input-${index + 2}.${from}`, bytes)));
  const outputPath = join(dir, `output.${to}`);
  const { ctx, progress } = conversionContext({
    inputPath,
    outputPath,
    from,
    to,
    options,
    ...(additionalInputPaths.length > 0 ? { additionalInputPaths } : {}),
  });
  ctx.limits = { ...ctx.limits, ...limits };
  try {
    await pdfPlugin.convert(ctx);
  } catch (error) {
    expect(await exists(outputPath), 'a failed conversion left an output behind').toBe(false);
    throw error;
  }
  return { output: await readFile(outputPath), progress };
}
