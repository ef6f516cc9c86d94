import { resolve } from 'node:path';
import type { FfmpegCommand } from 'fluent-ffmpeg';
import { muxerArguments, streamArguments, type ConversionPlan } from './ffmpeg-arguments.js';
import { newFfmpegCommand, quietGlobalOptions } from './ffmpeg-command.js';
import { restrictedInput } from './input-arguments.js';

/**
 * The fluent-ffmpeg command of a conversion: the job's input opened as `restrictedInput` says,
 * the streams encoded as planned, written to the job's output path alone.
 * `-stats` keeps ffmpeg's statistics line on stderr, where the progress is read from.
 * fluent-ffmpeg adds `-y` only for outputs it sees as plain files, not `file:` ones, so it is given here.
 * Its option methods split a string holding one space in two; no value here holds one, and the
 * paths, which might, go through `input()` and `output()`, which keep them whole.
 */
export function conversionCommand(plan: ConversionPlan): FfmpegCommand {
  const { options } = plan;
  const input = restrictedInput(plan.inputPath, plan.from, { start: options.start, duration: options.duration, maxPixels: plan.maxPixels });
  return newFfmpegCommand()
    .input(input.source)
    .inputOptions([...quietGlobalOptions, '-stats'])
    .inputFormat(input.demuxer)
    .inputOptions(input.options)
    .output(`file:${resolve(plan.outputPath)}`)
    .outputOptions(streamArguments(plan))
    .format(plan.target.muxer)
    .outputOptions([...muxerArguments(plan.target), '-y']);
}
