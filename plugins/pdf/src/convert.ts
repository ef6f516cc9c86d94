import { readFile, writeFile } from 'node:fs/promises';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { cancelledError, removeOutput, throwIfCancelled } from './cancellation.js';
import { isImageSourceFormat } from './formats.js';
import { imagesToPdf } from './images-to-pdf.js';
import { parseEditOptions, parsePageRenderOptions, parseZipOptions, rasterTarget } from './options.js';
import { extractText, renderOnePage, zipPages } from './pdf-to-pages.js';
import { editPdf, maxMergeInputs, minMergeInputs } from './tools.js';

/** Progress reported once the input is read, before any real work: the job shows it has begun. */
const startedPercent = 2;
/** Progress reached once the output is made and only writing it remains. */
const madePercent = 95;

/** Converts `ctx.inputPath` to `ctx.outputPath`; on any failure, or a cancel, no output is left behind. */
export async function convertPdf(ctx: ConvertContext): Promise<void> {
  throwIfCancelled(ctx.signal);
  const output = await makeOutput(ctx);
  throwIfCancelled(ctx.signal);
  ctx.progress(madePercent);
  await writeOutput(ctx, output);
  ctx.progress(100);
}

async function makeOutput(ctx: ConvertContext): Promise<Uint8Array> {
  const { from, to, options, signal, limits } = ctx;
  // Work is reported as a share of 0–1 and mapped between the start and the end of the job.
  const work = { limits, signal, onProgress: (fraction: number) => ctx.progress(startedPercent + (madePercent - startedPercent) * fraction) };

  if (isImageSourceFormat(from) && to === 'pdf') {
    ctx.progress(startedPercent);
    return imagesToPdf(ctx.inputPath, from, work);
  }
  if (from !== 'pdf') throw new PluginError('unsupported_conversion', `the pdf plugin does not convert ${from} to ${to}`);

  if (to === 'pdf') {
    const edit = parseEditOptions(options);
    const extra = ctx.additionalInputPaths ?? [];
    if (extra.length > 0 && (extra.length + 1 < minMergeInputs || extra.length + 1 > maxMergeInputs)) {
      throw new PluginError('invalid_parameter', `a merge takes ${minMergeInputs} to ${maxMergeInputs} PDFs, got ${extra.length + 1}`);
    }
    const documents = await Promise.all([ctx.inputPath, ...extra].map((path) => readFile(path)));
    ctx.progress(startedPercent);
    return editPdf({ documents, ...edit }, work);
  }

  // Options are checked before the input is read: a bad request fails at once, whatever the file.
  if (to === 'zip') {
    const zipOptions = parseZipOptions(options);
    return zipPages(await readInput(ctx), zipOptions, work);
  }
  if (to === 'txt') return extractText(await readInput(ctx), work);
  const target = rasterTarget(to);
  const renderOptions = parsePageRenderOptions(options);
  return renderOnePage(await readInput(ctx), target, renderOptions, work);
}

async function readInput(ctx: ConvertContext): Promise<Uint8Array> {
  const input = await readFile(ctx.inputPath);
  ctx.progress(startedPercent);
  return input;
}

/** Writes the output; a write that fails or is cancelled half-way leaves no partial file. */
async function writeOutput(ctx: ConvertContext, output: Uint8Array): Promise<void> {
  try {
    await writeFile(ctx.outputPath, output, { signal: ctx.signal });
  } catch (error) {
    await removeOutput(ctx.outputPath);
    if (ctx.signal.aborted) throw cancelledError();
    throw error;
  }
}
