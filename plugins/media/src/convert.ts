import { stat } from 'node:fs/promises';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import type { FfmpegCommand } from 'fluent-ffmpeg';
import { mediaCapabilities } from './capabilities.js';
import { conversionCommand } from './conversion-command.js';
import type { ConversionPlan } from './ffmpeg-arguments.js';
import { runFfmpeg } from './ffmpeg-run.js';
import { abortedError, describeToolFailure, isOutputSetupFailure, removeOutput, throwIfAborted } from './failures.js';
import { formatName, isSourceFormatId, type SourceFormatId, type TargetFormatId } from './formats.js';
import { outputFrameSize } from './frame-size.js';
import { inspectMedia, type MediaInfo } from './inspect.js';
import { refuseOverlongInput, refuseOverlongPosition, refuseOversizedFrame } from './limits.js';
import { parseMediaOptions, type MediaOptions } from './options.js';
import { FfmpegProgress } from './progress.js';
import { targetOf } from './targets.js';

/**
 * Converts `ctx.inputPath` to `ctx.outputPath` with ffmpeg, run through fluent-ffmpeg: inspects the input with ffprobe,
 * holds it to the limits, then encodes it while reporting ffmpeg's progress. On any failure,
 * a cancel or a timeout, ffmpeg has exited and no output is left behind when this rejects.
 */
export async function convertMedia(ctx: ConvertContext): Promise<void> {
  const { from, to } = conversionOf(ctx);
  const target = targetOf(to);
  const options = parseMediaOptions(ctx.options, target);
  throwIfAborted(ctx.signal);

  const info = await inspectMedia(ctx.inputPath, from, ctx.signal);
  const plan = planEncoding(ctx, from, to, options, info);
  const command = conversionCommand(plan);
  ctx.progress(0);
  throwIfAborted(ctx.signal);
  await encode(ctx, plan, command);
  ctx.progress(100);
}

function conversionOf(ctx: ConvertContext): { from: SourceFormatId; to: TargetFormatId } {
  const offered = mediaCapabilities.some((capability) => capability.from === ctx.from && capability.to === ctx.to);
  if (!offered || !isSourceFormatId(ctx.from)) {
    throw new PluginError('unsupported_conversion', `the media plugin does not convert ${ctx.from} to ${ctx.to}`);
  }
  return { from: ctx.from, to: ctx.to as TargetFormatId };
}

/** Checks the probed input against the limits and the options, and settles the output's frame size. */
function planEncoding(ctx: ConvertContext, from: SourceFormatId, to: TargetFormatId, options: MediaOptions, info: MediaInfo): ConversionPlan {
  const target = targetOf(to);
  refuseOverlongInput(info, ctx.limits);
  if (options.start !== undefined && info.durationSeconds !== undefined && options.start >= info.durationSeconds) {
    throw new PluginError('invalid_parameter', `start (${options.start} s) is at or past the end of the input (${info.durationSeconds.toFixed(2)} s)`);
  }
  const plan: ConversionPlan = { inputPath: ctx.inputPath, outputPath: ctx.outputPath, from, target, options, info, maxPixels: ctx.limits.maxPixels };
  // Only video and GIF outputs decode frames: extracting a soundtrack leaves the pictures undecoded.
  if (target.kind !== 'audio') {
    if (!info.video) throw new PluginError('invalid_input', `the ${formatName(from)} file has no video stream`);
    refuseOversizedFrame(info.video, 'input', ctx.limits);
    plan.frame = outputFrameSize(info.video, options, target);
    refuseOversizedFrame(plan.frame, 'output', ctx.limits);
  }
  return plan;
}

/** Seconds of output ffmpeg will write: the input's length after start and duration trim it, when known. */
function expectedSeconds(info: MediaInfo, options: MediaOptions): number | undefined {
  const remaining = info.durationSeconds === undefined ? undefined : info.durationSeconds - (options.start ?? 0);
  if (remaining === undefined) return options.duration;
  return Math.min(remaining, options.duration ?? Infinity);
}

async function encode(ctx: ConvertContext, plan: ConversionPlan, command: FfmpegCommand): Promise<void> {
  // Stops ffmpeg from inside, when the input proves longer than its header said.
  const breach = new AbortController();
  let breachError: PluginError | undefined;
  let reported = 0;
  const progress = new FfmpegProgress(expectedSeconds(plan.info, plan.options), (seconds, percent) => {
    if (percent !== undefined && percent > reported) {
      reported = percent;
      ctx.progress(percent);
    }
    if (breachError) return;
    try {
      refuseOverlongPosition((plan.options.start ?? 0) + seconds, ctx.limits);
    } catch (error) {
      breachError = error as PluginError;
      breach.abort(breachError);
    }
  });

  const run = await runFfmpeg(command, {
    signal: AbortSignal.any([ctx.signal, breach.signal]),
    takeStderrLine: (line) => progress.read(line),
    onStart: (commandLine) => ctx.log.debug('ffmpeg started', { commandLine }),
  });
  if (run.stopped || run.code !== 0) await removeOutput(ctx.outputPath);
  if (ctx.signal.aborted) throw abortedError(ctx.signal);
  if (breachError) throw breachError;
  if (run.startFailure) throw new PluginError('conversion_failed', `ffmpeg could not be started: ${run.startFailure.message}`);
  if (run.code !== 0) throw ffmpegFailure(run.stderr, plan);

  const written = await stat(ctx.outputPath).catch(() => undefined);
  if (!written || written.size === 0) {
    await removeOutput(ctx.outputPath);
    throw new PluginError('invalid_input', `ffmpeg decoded nothing from the ${formatName(plan.from)} file`);
  }
}

function ffmpegFailure(stderr: string, plan: ConversionPlan): PluginError {
  const reason = describeToolFailure(stderr, { [plan.inputPath]: 'the input', [plan.outputPath]: 'the output' });
  if (isOutputSetupFailure(stderr)) return new PluginError('conversion_failed', `ffmpeg could not encode the output: ${reason}`);
  return new PluginError('invalid_input', `ffmpeg could not convert the ${formatName(plan.from)} file: ${reason}`);
}
