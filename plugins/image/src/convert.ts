import { writeFile } from 'node:fs/promises';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import type { Sharp } from 'sharp';
import { cancelledError, removeOutput, settleOrCancel, throwIfCancelled } from './cancellation.js';
import { encodeImage } from './encoding.js';
import { describeSharpFailure } from './failures.js';
import { isInputFormatId, isOutputFormatId, traitsOf, type InputFormatId, type OutputFormatId } from './formats.js';
import { openInput, type OpenedImage } from './inputs.js';
import { invalidParameter, parseImageOptions, type ImageOptions } from './options.js';
import { loadSharp, type SharpLibrary } from './sharp-library.js';

/** Progress reported once the options are checked and reading the input begins. */
const startedPercent = 5;
/** Progress reported once the input is open (decoded, for the formats decoded here) and sharp takes over. */
const openedPercent = 30;
/** Progress reported once the image is encoded and only writing it remains. */
const encodedPercent = 90;

/** Where transparency ends up when the target has none and no background was asked for. */
const defaultFlattenBackground = '#ffffff';
/** The bars of fit=contain, when no background was asked for: transparent where the target keeps alpha. */
const defaultLetterboxBackground = { r: 0, g: 0, b: 0, alpha: 0 };

/** Converts `ctx.inputPath` to `ctx.outputPath`; on any failure, or a cancel, no output is left behind. */
export async function convertImage(ctx: ConvertContext): Promise<void> {
  const from = inputFormat(ctx.from);
  const to = outputFormat(ctx.to);
  const options = parseImageOptions(ctx.options);
  throwIfCancelled(ctx.signal);

  const sharp = await loadSharp();
  checkBackground(sharp, options.background);
  ctx.progress(startedPercent);
  const describe = (error: unknown) => describeSharpFailure(error, { from, to, maxPixels: ctx.limits.maxPixels });
  const opened = await settleOrCancel(openInput(sharp, ctx, from, to, options), ctx.signal).catch((error: unknown) => {
    throw describe(error);
  });
  refuseOversizedOutput(opened, options, ctx.limits.maxPixels);
  throwIfCancelled(ctx.signal);
  ctx.progress(openedPercent);

  // Encoded into memory rather than straight to outputPath: libvips cannot be stopped, so a
  // cancel is answered at once while sharp finishes in the background, and whatever it makes
  // then must go nowhere. Written to disk, it would land in a job folder the host is removing.
  // The cost is the encoded image in memory, held to limits.maxPixels like the decode.
  const pipeline = transform(opened.pipeline, ctx, to, options);
  const encoded = await settleOrCancel(encodeImage(sharp, pipeline, to, options), ctx.signal).catch((error: unknown) => {
    throw describe(error);
  });
  ctx.progress(encodedPercent);
  await writeOutput(ctx, encoded);
  ctx.progress(100);
}

/** Writes the encoded image; a write that fails or is cancelled half-way leaves no partial file. */
async function writeOutput(ctx: ConvertContext, encoded: Buffer): Promise<void> {
  try {
    await writeFile(ctx.outputPath, encoded, { signal: ctx.signal });
  } catch (error) {
    await removeOutput(ctx.outputPath);
    if (ctx.signal.aborted) throw cancelledError();
    throw error;
  }
}

/** sharp parses CSS colours itself; asking it early turns a bad colour into a clear parameter error rather than a failed encode. */
function checkBackground(sharp: SharpLibrary, background: string | undefined): void {
  if (background === undefined) return;
  try {
    sharp({ create: { width: 1, height: 1, channels: 4, background } });
  } catch {
    throw invalidParameter(`background ${JSON.stringify(background)} is not a colour: use a CSS colour such as "#ffffff", "rgb(0 0 0 / 0)" or "white"`);
  }
}

/**
 * The input's pixel limit alone would let a small image be resized into a huge one: the
 * output's size is computed from the input's size and held to the same limit before resizing.
 */
function refuseOversizedOutput(input: OpenedImage, options: ImageOptions, maxPixels: number): void {
  if (options.width === undefined && options.height === undefined) return;
  const aspect = input.width / input.height;
  const width = options.width ?? Math.round(options.height! * aspect);
  const height = options.height ?? Math.round(options.width! / aspect);
  if (width * height > maxPixels) {
    throw new PluginError('limit_exceeded', `a ${width}×${height} output exceeds the limit of ${maxPixels} pixels`);
  }
}

function inputFormat(format: string): InputFormatId {
  if (!isInputFormatId(format)) throw new PluginError('unsupported_conversion', `the image plugin does not read ${format}`);
  return format;
}

function outputFormat(format: string): OutputFormatId {
  if (!isOutputFormatId(format)) throw new PluginError('unsupported_conversion', `the image plugin does not write ${format}`);
  return format;
}

function transform(input: Sharp, ctx: ConvertContext, to: OutputFormatId, options: ImageOptions): Sharp {
  let pipeline = input;
  if (ctx.limits.timeoutMs > 0 && Number.isFinite(ctx.limits.timeoutMs)) {
    // A cancel cannot stop libvips, but its own timeout can: bounds the CPU a runaway image takes.
    pipeline = pipeline.timeout({ seconds: Math.ceil(ctx.limits.timeoutMs / 1000) });
  }
  if (options.width !== undefined || options.height !== undefined) {
    pipeline = pipeline.resize({ width: options.width, height: options.height, fit: options.fit, background: options.background ?? defaultLetterboxBackground });
  }
  if (traitsOf(to).dropsAlpha) pipeline = pipeline.flatten({ background: options.background ?? defaultFlattenBackground });
  // Metadata is dropped by default (GPS, camera serials, names); the colour profile is part of the picture.
  return options.preserveMetadata ? pipeline.keepMetadata() : pipeline.keepIccProfile();
}
