import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { cancelledError, describeUnoconvFailure, timeoutError } from './failures.js';
import { formatName, isDocumentFormatId, traitsOf, type DocumentFormatId, type TargetFormatId } from './formats.js';
import { withoutUndatedMeta } from './html-input.js';
import { checkInput, pdfPageCount } from './input-checks.js';
import type { Lease } from './office-pool.js';
import { officePool } from './office-pool.js';
import { officeSettings, type OfficeSettings } from './office-settings.js';
import { parseDocumentOptions, type DocumentOptions } from './options.js';
import { killUnoconvClient, runUnoconv } from './unoconv-client.js';

/** Progress once the document is handed to LibreOffice, which reports nothing finer until it is done. */
const handedOverPercent = 0;

/** unoconv's options per source: CSV is read as comma-separated UTF-8 whatever the locale says. */
const importOptions: Partial<Record<DocumentFormatId, string>> = {
  csv: 'FilterOptions=44,34,76,1',
};

/** unoconv's export option for a PDF profile: SelectPdfVersion 2 is PDF/A-2b. */
const pdfExportOptions = { standard: undefined, pdfa: 'SelectPdfVersion=2' } as const;

/**
 * Converts `ctx.inputPath` to `ctx.outputPath` in a warm LibreOffice. LibreOffice reads a copy
 * of the input and writes into a scratch folder outside the job folder, so that nothing it does
 * (lock files, temporary files, a half-written output when it is killed) ever lands in the job
 * folder; the finished output is then moved into place.
 */
export async function convertDocument(ctx: ConvertContext): Promise<void> {
  const from = sourceFormat(ctx.from);
  const to = targetFormat(from, ctx.to);
  const options = parseDocumentOptions(ctx.options);
  throwIfCancelled(ctx.signal);
  await checkInput(ctx.inputPath, from, ctx.limits);
  throwIfCancelled(ctx.signal);

  const settings = officeSettings();
  await mkdir(settings.scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(settings.scratchRoot, 'job-'));
  try {
    const input = await stageInput(ctx.inputPath, scratch, from);
    const output = join(scratch, `output.${to}`);
    await convertInListener(ctx, settings, { from, to, options, input, output, scratch });
    await checkOutput(output, to, ctx);
    await moveIntoPlace(output, ctx);
    ctx.progress(100);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Job {
  from: DocumentFormatId;
  to: TargetFormatId;
  options: DocumentOptions;
  input: string;
  output: string;
  scratch: string;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

function sourceFormat(format: string): DocumentFormatId {
  if (!isDocumentFormatId(format)) throw new PluginError('unsupported_conversion', `the document plugin does not read ${format}`);
  return format;
}

function targetFormat(from: DocumentFormatId, format: string): TargetFormatId {
  const sameFamily = format === 'pdf' || (isDocumentFormatId(format) && traitsOf(format).family === traitsOf(from).family && !traitsOf(format).inputOnly);
  if (!sameFamily || format === from) throw new PluginError('unsupported_conversion', `the document plugin does not convert ${from} to ${format}`);
  return format as TargetFormatId;
}

/** The copy LibreOffice reads, named with the extension unoconv picks the application by. */
async function stageInput(inputPath: string, scratch: string, from: DocumentFormatId): Promise<string> {
  const staged = join(scratch, `input.${from}`);
  if (from === 'html') await writeFile(staged, withoutUndatedMeta(await readFile(inputPath, 'utf8')));
  else await copyFile(inputPath, staged);
  return staged;
}

async function convertInListener(ctx: ConvertContext, settings: OfficeSettings, job: Job): Promise<void> {
  let lease: Lease;
  try {
    lease = await officePool().acquire(ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    throw new PluginError('conversion_failed', `LibreOffice is not available: ${(error as Error).message}`);
  }
  try {
    const conversion = runUnoconv(settings, {
      port: lease.port,
      inputPath: job.input,
      outputPath: job.output,
      format: job.to,
      importOption: importOptions[job.from],
      exportOption: job.to === 'pdf' ? pdfExportOptions[job.options.pdfProfile] : undefined,
    });
    const outcome = settleWithin(conversion, ctx.signal, ctx.limits.timeoutMs);
    ctx.progress(handedOverPercent);
    const result = await outcome;
    if (result.state === 'cancelled' || result.state === 'timeout') {
      // The document may never finish (or be finishing right now): its listener goes, and a fresh one takes its place.
      await Promise.all([killUnoconvClient(job.scratch), lease.listener.restart()]);
      throw result.state === 'cancelled' ? cancelledError() : timeoutError(ctx.limits.timeoutMs);
    }
    if (result.state === 'failed') {
      const failure = describeUnoconvFailure(result.error, job.from, job.to);
      if (failure.listenerDied) await lease.listener.restart();
      throw failure.error;
    }
  } finally {
    lease.release();
  }
}

type Settled = { state: 'done' } | { state: 'failed'; error: unknown } | { state: 'cancelled' } | { state: 'timeout' };

/** How `work` ends, or that the signal aborted or the time ran out first. Never rejects. */
function settleWithin(work: Promise<unknown>, signal: AbortSignal, timeoutMs: number): Promise<Settled> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (settled: Settled) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(settled);
    };
    const onAbort = () => finish({ state: 'cancelled' });
    if (signal.aborted) return finish({ state: 'cancelled' });
    signal.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) timer = setTimeout(() => finish({ state: 'timeout' }), timeoutMs);
    work.then(
      () => finish({ state: 'done' }),
      (error: unknown) => finish({ state: 'failed', error }),
    );
  });
}

/** The output exists, is not empty, and a PDF has no more pages than allowed. */
async function checkOutput(output: string, to: TargetFormatId, ctx: ConvertContext): Promise<void> {
  const size = await stat(output).then(
    (stats) => stats.size,
    () => 0,
  );
  if (size === 0) throw new PluginError('conversion_failed', `LibreOffice reported success but wrote no ${formatName(to)}`);
  if (to !== 'pdf') return;
  const pages = pdfPageCount(await readFile(output));
  if (pages > ctx.limits.maxPages) {
    throw new PluginError('limit_exceeded', `the document has ${pages} pages as PDF, over the limit of ${ctx.limits.maxPages}`);
  }
}

/** Moves the finished output to outputPath; a cancel that arrives meanwhile leaves nothing there. */
async function moveIntoPlace(output: string, ctx: ConvertContext): Promise<void> {
  throwIfCancelled(ctx.signal);
  try {
    await rename(output, ctx.outputPath);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EXDEV') throw error;
    // The scratch folder is on another file system: copied instead, and removed again if that fails.
    await copyFile(output, ctx.outputPath).catch(async (copyError: unknown) => {
      await rm(ctx.outputPath, { force: true });
      throw copyError;
    });
  }
  if (ctx.signal.aborted) {
    await rm(ctx.outputPath, { force: true });
    throw cancelledError();
  }
}
