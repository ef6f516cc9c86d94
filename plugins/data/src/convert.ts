import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { cancelledError, throwIfCancelled } from './cancellation.js';
import { convertsThroughRows } from './capabilities.js';
import { isDataFormatId, type DataFormatId, type TreeFormatId } from './formats.js';
import { parseDataOptions, type DataOptions } from './options.js';
import { OutputFile } from './output-file.js';
import { ProgressReporter } from './progress.js';
import { openTable, readTree } from './readers/index.js';
import { stringifyTree } from './trees.js';
import { tableWriterFor } from './writers/index.js';

/** Progress once the input is open (or parsed, for a tree), and where writing the output ends. */
const inputOpenPercent = 5;
const treeParsedPercent = 50;
const treeSerializedPercent = 80;
const writtenPercent = 99;

/** Text is written in slices of this many characters, so that a cancel is heard between them. */
const writeSliceLength = 1024 * 1024;

/** Converts `ctx.inputPath` to `ctx.outputPath`; on any failure, or a cancel, no output is left behind. */
export async function convertData(ctx: ConvertContext): Promise<void> {
  const from = dataFormat(ctx.from);
  const to = dataFormat(ctx.to);
  const options = parseDataOptions(ctx.options);
  throwIfCancelled(ctx.signal);
  const progress = new ProgressReporter(ctx);
  progress.report(1);

  let output: OutputFile | undefined;
  const openOutput = () => (output = OutputFile.open(ctx.outputPath));
  try {
    if (convertsThroughRows(from, to)) await convertRows(ctx, from, to, options, progress, openOutput);
    else await convertTree(ctx, from as TreeFormatId, to as TreeFormatId, options, progress, openOutput);
    throwIfCancelled(ctx.signal);
    await output!.close();
  } catch (error) {
    await output?.discard();
    throw asPluginError(error, ctx.signal);
  }
  progress.report(100);
}

/** Reads rows from the input and writes them one by one: the table is never held whole unless its source is a tree. */
async function convertRows(ctx: ConvertContext, from: DataFormatId, to: DataFormatId, options: DataOptions, progress: ProgressReporter, openOutput: () => OutputFile): Promise<void> {
  const table = await openTable(from, ctx.inputPath, options, ctx.limits, { signal: ctx.signal, onProgress: progress.within(inputOpenPercent, writtenPercent) });
  progress.report(inputOpenPercent);
  const writer = tableWriterFor(to, options);
  const columns = writer.needsColumns ? await table.columns() : undefined;
  await writer.begin(openOutput(), columns, table.namedColumns);
  for await (const row of table.rows()) {
    throwIfCancelled(ctx.signal);
    await writer.write(row);
  }
  await writer.end();
}

/** Parses the whole tree, serializes it whole, and writes it in slices. */
async function convertTree(ctx: ConvertContext, from: TreeFormatId, to: TreeFormatId, options: DataOptions, progress: ProgressReporter, openOutput: () => OutputFile): Promise<void> {
  const tree = await readTree(from, ctx.inputPath, options, ctx.limits);
  progress.report(treeParsedPercent);
  const text = stringifyTree(to, tree);
  progress.report(treeSerializedPercent);
  const output = openOutput();
  const writing = progress.within(treeSerializedPercent, writtenPercent);
  for (let offset = 0; offset < text.length; offset += writeSliceLength) {
    await output.write(text.slice(offset, offset + writeSliceLength));
    writing((offset + writeSliceLength) / text.length);
  }
}

function dataFormat(format: string): DataFormatId {
  if (!isDataFormatId(format)) throw new PluginError('unsupported_conversion', `the data plugin does not handle ${format}`);
  return format;
}

/**
 * A cancel wins over whatever the interrupted work threw; a string or tree too big for V8 is a
 * limit; anything else not already a PluginError is this plugin's failure, reported as such.
 */
function asPluginError(error: unknown, signal: AbortSignal): PluginError {
  if (signal.aborted) return cancelledError();
  if (error instanceof PluginError) return error;
  if (error instanceof RangeError && /Invalid string length|Invalid array length|Maximum call stack/.test(error.message)) {
    return new PluginError('limit_exceeded', `the data is too large or too deeply nested to convert: ${error.message}`);
  }
  return new PluginError('conversion_failed', `data conversion failed: ${(error as Error)?.message ?? String(error)}`);
}
