import { writeFile } from 'node:fs/promises';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { cancelledError, removeOutput, settleOrCancel, throwIfCancelled } from './cancellation.js';
import { dropsAlpha, encodeAs } from './encoding.js';
import { describeSharpFailure } from './failures.js';
import { isImageFormatId, traitsOf, type ImageFormatId } from './formats.js';
import { parseImageOptions, type ImageOptions } from './options.js';
import { loadSharp, type SharpLibrary } from './sharp-library.js';

/** Progress reported once the work is handed to sharp, which reports nothing finer. */
const decodeStartedPercent = 10;
/** Progress reported once sharp has encoded the image and only writing it remains. */
const encodedPercent = 90;

/** Converts `ctx.inputPath` to `ctx.outputPath`; on any failure, or a cancel, no output is left behind. */
export async function convertImage(ctx: ConvertContext): Promise<void> {
  const from = imageFormat(ctx.from);
  const to = imageFormat(ctx.to);
  const options = parseImageOptions(ctx.options);
  throwIfCancelled(ctx.signal);

  const sharp = await loadSharp();
  await refuseOversizedOutput(sharp, ctx, options);
  ctx.progress(decodeStartedPercent);
  // Encoded into memory rather than straight to outputPath: libvips cannot be stopped, so a
  // cancel is answered at once while sharp finishes in the background, and whatever it makes
  // then must go nowhere. Written to disk, it would land in a job folder the host is removing.
  // The cost is the encoded image in memory, held to limits.maxPixels like the decode.
  const encoding = buildPipeline(sharp, ctx, from, to, options).toBuffer();
  const encoded = await settleOrCancel(encoding, ctx.signal).catch((error: unknown) => {
    throw describeSharpFailure(error, { from, to, maxPixels: ctx.limits.maxPixels });
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

/**
 * The input's pixel limit alone would let a small image be resized into a huge one: the
 * output's size is computed from the header and held to the same limit before any decoding.
 */
async function refuseOversizedOutput(sharp: SharpLibrary, ctx: ConvertContext, options: ImageOptions): Promise<void> {
  if (options.width === undefined && options.height === undefined) return;
  let width = options.width;
  let height = options.height;
  if (width === undefined || height === undefined) {
    const header = await sharp(ctx.inputPath, { limitInputPixels: ctx.limits.maxPixels })
      .metadata()
      .catch((error: unknown) => {
        throw describeSharpFailure(error, { from: imageFormat(ctx.from), to: imageFormat(ctx.to), maxPixels: ctx.limits.maxPixels });
      });
    const aspect = (header.width ?? 1) / (header.height ?? 1);
    width ??= Math.round(height! * aspect);
    height ??= Math.round(width / aspect);
  }
  if (width * height > ctx.limits.maxPixels) {
    throw new PluginError('limit_exceeded', `a ${width}×${height} output exceeds the limit of ${ctx.limits.maxPixels} pixels`);
  }
}

function imageFormat(format: string): ImageFormatId {
  if (!isImageFormatId(format)) throw new PluginError('unsupported_conversion', `the image plugin does not handle ${format}`);
  return format;
}

function buildPipeline(sharp: SharpLibrary, ctx: ConvertContext, from: ImageFormatId, to: ImageFormatId, options: ImageOptions) {
  let pipeline = sharp(ctx.inputPath, {
    limitInputPixels: ctx.limits.maxPixels,
    // 'error' rejects truncated and corrupt files instead of quietly encoding a half-grey image.
    failOn: 'error',
    // Read every frame only when the target can keep them; otherwise the first frame is the image.
    animated: traitsOf(from).animated && traitsOf(to).animated,
  }).autoOrient();
  if (ctx.limits.timeoutMs > 0 && Number.isFinite(ctx.limits.timeoutMs)) {
    // A cancel cannot stop libvips, but its own timeout can: bounds the CPU a runaway image takes.
    pipeline = pipeline.timeout({ seconds: Math.ceil(ctx.limits.timeoutMs / 1000) });
  }
  if (options.width !== undefined || options.height !== undefined) {
    pipeline = pipeline.resize({ width: options.width, height: options.height, fit: options.fit });
  }
  if (dropsAlpha(to)) pipeline = pipeline.flatten({ background: '#ffffff' });
  return encodeAs(pipeline, to, options.quality);
}
