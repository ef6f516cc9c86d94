import { PluginError } from '@conveyor/contracts';
import { formatName, type SourceFormatId } from './formats.js';
import type { FrameSize } from './frame-size.js';
import { secondsArgument } from './input-arguments.js';
import type { AudioStream, MediaInfo, VideoStream } from './inspect.js';
import type { MediaOptions } from './options.js';
import { gifDefaults, type AudioTarget, type Target, type VideoTarget } from './targets.js';

/** Everything a conversion's ffmpeg command is made of, decided and validated beforehand. */
export interface ConversionPlan {
  inputPath: string;
  outputPath: string;
  from: SourceFormatId;
  target: Target;
  options: MediaOptions;
  info: MediaInfo;
  /** The limit on decoded frame size. */
  maxPixels: number;
  /** The output's frame size (video and GIF targets). */
  frame?: FrameSize;
}

/**
 * x264's speed preset: veryfast keeps a 1080p encode near real time on two cores and, at the
 * same crf, looks the same as slower presets at a somewhat higher bitrate.
 */
const x264Preset = 'veryfast';
/** libvpx's speed for VP9: good-quality mode at cpu-used 5 with row multithreading, several times faster than its default. */
const vp9Speed = ['-deadline', 'good', '-cpu-used', '5', '-row-mt', '1'];

/**
 * The options that pick the streams and encode them. Every value in them is a constant of this
 * plugin or a validated number: nothing the caller wrote reaches ffmpeg as text.
 */
export function streamArguments(plan: ConversionPlan): string[] {
  const { target, info } = plan;
  switch (target.kind) {
    case 'audio':
      return ['-map', `0:${requireAudio(plan).index}`, ...audioEncoding(target, requireAudio(plan), plan.options)];
    case 'video': {
      const audio = info.audio ? ['-map', `0:${info.audio.index}`, ...videoSoundtrack(target, info.audio)] : [];
      return ['-map', `0:${requireVideo(plan).index}`, ...videoEncoding(target, plan), ...audio];
    }
    case 'gif':
      return ['-map', `0:${requireVideo(plan).index}`, ...gifEncoding(plan)];
  }
}

/** Options of the output's muxer, given after `-f`. */
export function muxerArguments(target: Target): string[] {
  // MP4-family files with their index first play before they have fully downloaded.
  if (['mp4', 'mov', 'ipod'].includes(target.muxer)) return ['-movflags', '+faststart'];
  if (target.kind === 'gif') return ['-loop', '0'];
  return [];
}

function requireAudio(plan: ConversionPlan): AudioStream {
  if (!plan.info.audio) throw new PluginError('invalid_input', `the ${formatName(plan.from)} file has no audio stream`);
  return plan.info.audio;
}

function requireVideo(plan: ConversionPlan): VideoStream {
  if (!plan.info.video) throw new PluginError('invalid_input', `the ${formatName(plan.from)} file has no video stream`);
  return plan.info.video;
}

function audioEncoding(target: AudioTarget, source: AudioStream, options: MediaOptions): string[] {
  const { codec } = target;
  const channels = options.channels ?? source.channels;
  const args = ['-c:a', codec.encoder === 'pcm_s16le' ? pcmEncoder(source) : codec.encoder];
  if (codec.bitrate) {
    const kbps = options.bitrate ?? codec.bitrate.presets.high;
    if (codec.encoder === 'libvorbis') args.push('-q:a', vorbisQuality(kbps, channels).toFixed(2));
    // libopus refuses more than 256 kbit/s per channel; a mono file asked for 320 gets 256.
    else if (codec.encoder === 'libopus') args.push('-b:a', `${Math.min(kbps, 256 * channels)}k`);
    else args.push('-b:a', `${kbps}k`);
  }
  if (codec.encoder === 'libopus' && options.channels === undefined) args.push(...opusLayout(source));
  if (options.sample_rate !== undefined) args.push('-ar', String(options.sample_rate));
  if (options.channels !== undefined) args.push('-ac', String(options.channels));
  return args;
}

/**
 * libopus takes surround sound only in the layouts of the Vorbis channel order; it refuses the
 * common 5.1(side) of films outright. Remapping to the nearest of those keeps every channel.
 */
function opusLayout(source: AudioStream | undefined): string[] {
  if (!source || source.channels <= 2) return [];
  return ['-af', 'aformat=channel_layouts=3.0|quad|5.0|5.1|6.1|7.1'];
}

/** WAV keeps 24-bit samples of a lossless 24-bit source; anything else fits 16 bits. */
function pcmEncoder(source: AudioStream): string {
  const lossless = source.codec === 'flac' || source.codec.startsWith('pcm_') || source.codec === 'alac';
  return lossless && (source.bitsPerSample ?? 16) > 16 ? 'pcm_s24le' : 'pcm_s16le';
}

/** Nominal stereo bitrates (kbit/s) of libvorbis quality levels -1 to 10. */
const vorbisNominalKbps = [45, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 500];

/**
 * libvorbis refuses average bitrates outside narrow bounds that depend on the channels and the
 * sample rate (a mono file at 256 kbit/s fails), so it is driven by quality instead: the quality
 * whose nominal bitrate, per channel, matches the one asked for.
 */
export function vorbisQuality(kbps: number, channels: number): number {
  const stereoKbps = (kbps * 2) / Math.max(1, channels);
  const levels = vorbisNominalKbps;
  if (stereoKbps <= levels[0]!) return -1;
  for (let level = 1; level < levels.length; level++) {
    const upper = levels[level]!;
    const lower = levels[level - 1]!;
    if (stereoKbps <= upper) return level - 2 + (stereoKbps - lower) / (upper - lower);
  }
  return 10;
}

function videoEncoding(target: VideoTarget, plan: ConversionPlan): string[] {
  const { video } = target;
  const crf = String(plan.options.crf ?? video.crf.default);
  const filters = frameFilters(plan);
  const codecArgs =
    video.encoder === 'libx264'
      ? ['-c:v', 'libx264', '-preset', x264Preset, '-crf', crf]
      : ['-c:v', 'libvpx-vp9', '-crf', crf, '-b:v', '0', ...vp9Speed];
  return [...(filters.length > 0 ? ['-vf', filters.join(',')] : []), ...codecArgs, '-pix_fmt', 'yuv420p'];
}

function videoSoundtrack(target: VideoTarget, source: AudioStream): string[] {
  const layout = target.audio.encoder === 'libopus' ? opusLayout(source) : [];
  return ['-c:a', target.audio.encoder, '-b:a', `${target.audio.bitrateKbps}k`, ...layout];
}

/** The frame rate and size filters of a video output: each only when it changes something. */
function frameFilters(plan: ConversionPlan): string[] {
  const source = requireVideo(plan);
  const filters: string[] = [];
  if (plan.options.fps !== undefined) filters.push(`fps=${secondsArgument(plan.options.fps)}`);
  const frame = plan.frame ?? source;
  if (frame.width !== source.width || frame.height !== source.height) filters.push(`scale=${frame.width}:${frame.height}`);
  return filters;
}

/**
 * A GIF gets a palette of its own per frame (stats_mode=single): it looks far better than
 * the fixed web palette, and unlike one palette for the whole clip it needs no second pass
 * and no buffering of every frame, so memory stays flat however long the clip.
 */
function gifEncoding(plan: ConversionPlan): string[] {
  const source = requireVideo(plan);
  const fps = plan.options.fps ?? Math.min(source.fps ?? gifDefaults.fps, gifDefaults.fps);
  const frame = plan.frame ?? source;
  const graph =
    `fps=${secondsArgument(fps)},scale=${frame.width}:${frame.height}:flags=lanczos,split[frames][forpalette];` +
    '[forpalette]palettegen=stats_mode=single[palette];[frames][palette]paletteuse=new=1';
  return ['-vf', graph, '-c:v', 'gif'];
}
