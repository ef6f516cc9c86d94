import { resolve } from 'node:path';
import { demuxerOf, type SourceFormatId } from './formats.js';

/** ffmpeg's max_pixels is an int: larger limits are as good as none. */
const maxPixelsArgument = 2_147_483_647;

export interface InputSettings {
  start?: number;
  duration?: number;
  maxPixels?: number;
}

/** How ffmpeg and ffprobe open the job's input: the source, its forced demuxer and the other input options. */
export interface RestrictedInput {
  /** `file:<absolute path>`, so no part of the path reads as a protocol or an option. */
  source: string;
  /** The demuxer forced from the declared format (`-f`). */
  demuxer: string;
  /** The input options other than `-f`, in order. */
  options: string[];
}

/** Seconds as ffmpeg reads them: fixed-point, never exponent notation (1e-7 is not a time to ffmpeg). */
export function secondsArgument(seconds: number): string {
  return seconds.toFixed(3);
}

/**
 * The input of a conversion or a probe, held to the one file it names:
 * - only the `file` protocol, so nothing named inside the input can be fetched over a network;
 * - the demuxer forced from the declared format, so a playlist (HLS), a concat list or an image
 *   sequence uploaded as `.mp4` is parsed as an MP4 and fails, rather than opening the files it names;
 * - for QuickTime/MP4, external data references stay off (ffmpeg's default, stated here so it stays so);
 * - the path given as `file:<absolute path>`.
 * `start` and `duration` trim the input where ffmpeg reads it: seeking there skips decoding the rest.
 * `maxPixels` makes the video decoder itself refuse larger frames, including frames that grow
 * mid-stream after ffprobe has seen the first ones.
 */
export function restrictedInput(inputPath: string, from: SourceFormatId, settings: InputSettings): RestrictedInput {
  const { start, duration, maxPixels } = settings;
  const demuxer = demuxerOf[from];
  return {
    source: `file:${resolve(inputPath)}`,
    demuxer,
    options: [
      '-protocol_whitelist',
      'file',
      ...(demuxer === 'mov' ? ['-enable_drefs', '0'] : []),
      ...(maxPixels !== undefined ? ['-max_pixels', String(Math.min(maxPixels, maxPixelsArgument))] : []),
      ...(start !== undefined && start > 0 ? ['-ss', secondsArgument(start)] : []),
      ...(duration !== undefined ? ['-t', secondsArgument(duration)] : []),
    ],
  };
}

/** The input as a plain argument list, for tools run without fluent-ffmpeg (ffprobe). */
export function inputArguments(input: RestrictedInput): string[] {
  return ['-f', input.demuxer, ...input.options, '-i', input.source];
}
