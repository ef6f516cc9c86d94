import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { removeOutput, settleOrCancel, throwIfCancelled } from './cancellation.js';
import { dropsAlpha, encodeAs } from './encoding.js';
import { describeSharpFailure } from './failures.js';
import { isImageFormatId, traitsOf, type ImageFormatId } from './formats.js';
import { parseImageOptions, type ImageOptions } from './options.js';
import { loadSharp, type SharpLibrary } from './sharp-library.js';

/** Progress reported once the work is handed to sharp, which reports nothing finer. */
const decodeStartedPercent = 10;

/** Converts `ctx.inputPath` to `ctx.outputPath`; on any failure no output is left behind. */
export async function convertImage(ctx: ConvertContext): Promise<void> {
  const from = imageFormat(ctx.from);
  const to = imageFormat(ctx.to);
  const options = parseImageOptions(ctx.options);
  throwIfCancelled(ctx.signal);

  const sharp = await loadSharp();
  await refuseOversizedOutput(sharp, ctx, options);
  ctx.progress(decodeStartedPercent);
  const rendering = buildPipeline(sharp, ctx, from, to, options).toFile(ctx.outputPath);
  try {
    await settleOrCancel(rendering, ctx.signal);
  } catch (error) {
    const removal = discardOutputOnceSettled(rendering, ctx);
    // A cancel answers at once: sharp goes on writing in the background and its output is removed then.
    if (!ctx.signal.aborted) await removal;
    throw describeSharpFailure(error, { from, to, maxPixels: ctx.limits.maxPixels });
  }

  if (ctx.signal.aborted) {
    await removeOutput(ctx.outputPath);
    throwIfCancelled(ctx.signal);
  }
  ctx.progress(100);
}

/** Removes the output after `rendering` settles; never rejects, since the caller is already failing. */
async function discardOutputOnceSettled(rendering: Promise<unknown>, ctx: ConvertContext): Promise<void> {
  await rendering.catch(() => undefined);
  await removeOutput(ctx.outputPath).catch((error: Error) => {
    ctx.log.warn('could not remove a partial image output', { path: ctx.outputPath, error: error.message });
  });
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
