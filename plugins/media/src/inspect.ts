import { PluginError } from '@conveyor/contracts';
import { abortedError, describeToolFailure } from './failures.js';
import { demuxerOf, formatName, type SourceFormatId } from './formats.js';
import { inputArguments, restrictedInput } from './input-arguments.js';
import { runTool } from './tool-process.js';

export interface VideoStream {
  index: number;
  /** As displayed: width and height swapped already when the stream is rotated a quarter turn. */
  width: number;
  height: number;
  /** Average frame rate, when the container says. */
  fps?: number;
}

export interface AudioStream {
  index: number;
  sampleRate: number;
  channels: number;
  codec: string;
  /** Bits per sample of a lossless source (FLAC, PCM), when known. */
  bitsPerSample?: number;
}

/** What ffprobe found in an input: its duration and the streams a conversion would use. */
export interface MediaInfo {
  /** Undefined when the container does not say (a live-recorded WebM, for one). */
  durationSeconds?: number;
  video?: VideoStream;
  audio?: AudioStream;
}

/** More ffprobe JSON than any real file produces: a file with thousands of streams is refused. */
const maxProbeOutputBytes = 1024 * 1024;

const probeEntries = [
  'format=duration',
  'stream=index,codec_type,codec_name,width,height,avg_frame_rate,sample_rate,channels,bits_per_raw_sample,duration',
  'stream_disposition=attached_pic',
  'stream_side_data=rotation',
].join(':');

interface ProbedStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  bits_per_raw_sample?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbedStream[];
  format?: { duration?: string };
}

/**
 * Reads the input's container with ffprobe, held to the same restrictions as the conversion
 * (local file only, demuxer forced from `from`). A file ffprobe cannot read is `invalid_input`.
 *
 * ffprobe runs through `runTool`, not fluent-ffmpeg's `ffprobe()`: that one spawns ffprobe with
 * no way to stop it on a cancel, to bound its output or to restrict its environment, and parses
 * only ffprobe's default output, not the JSON of just the entries read here.
 */
export async function inspectMedia(inputPath: string, from: SourceFormatId, signal: AbortSignal): Promise<MediaInfo> {
  const args = ['-hide_banner', '-v', 'error', '-of', 'json', '-show_entries', probeEntries, ...inputArguments(restrictedInput(inputPath, from, {}))];
  const run = await runTool('ffprobe', args, { signal, maxStdoutBytes: maxProbeOutputBytes });
  if (run.stopped) throw abortedError(signal);
  if (run.overflowed) throw new PluginError('invalid_input', `the ${formatName(from)} file describes too many streams to be read`);
  if (run.code !== 0) {
    const reason = describeToolFailure(run.stderr, { [inputPath]: 'the input' });
    throw new PluginError('invalid_input', `the input is not a readable ${formatName(from)} file: ${reason}`);
  }
  let probed: ProbeOutput;
  try {
    probed = JSON.parse(run.stdout) as ProbeOutput;
  } catch {
    throw new PluginError('invalid_input', `the ${formatName(from)} file could not be described by ffprobe`);
  }
  return mediaInfoOf(probed, demuxerOf[from]);
}

function mediaInfoOf(probed: ProbeOutput, demuxer: string): MediaInfo {
  const streams = probed.streams ?? [];
  // Cover art is stored as a video stream; it is a picture, not the video.
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const durations = [probed.format?.duration, ...streams.map((stream) => stream.duration)].map(positiveNumber);
  const durationSeconds = durations.find((duration) => duration !== undefined);
  return {
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...(video && { video: videoStreamOf(video) }),
    ...(audio && { audio: audioStreamOf(audio, demuxer) }),
  };
}

function videoStreamOf(stream: ProbedStream): VideoStream {
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  if (!(width > 0 && height > 0)) throw new PluginError('invalid_input', 'the video stream has no frame size');
  const rotation = Math.abs(stream.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? 0) % 180;
  // ffmpeg turns rotated frames upright as it decodes them, so sizes are computed as displayed.
  const upright = rotation === 90 ? { width: height, height: width } : { width, height };
  const fps = frameRate(stream.avg_frame_rate);
  return { index: stream.index ?? 0, ...upright, ...(fps !== undefined && { fps }) };
}

function audioStreamOf(stream: ProbedStream, demuxer: string): AudioStream {
  const sampleRate = positiveNumber(stream.sample_rate) ?? 0;
  const channels = stream.channels ?? 0;
  // Raw FLAC and ADTS demuxers "find" a stream in any bytes; its empty parameters give it away.
  if (!(sampleRate > 0 && channels > 0)) {
    throw new PluginError('invalid_input', `the ${demuxer} audio stream has no sample rate or channels: the file is not valid audio`);
  }
  const bits = positiveNumber(stream.bits_per_raw_sample);
  return { index: stream.index ?? 0, sampleRate, channels, codec: stream.codec_name ?? 'unknown', ...(bits !== undefined && { bitsPerSample: bits }) };
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function frameRate(text: string | undefined): number | undefined {
  const [numerator, denominator] = (text ?? '').split('/').map(Number);
  if (!numerator || !denominator) return undefined;
  const rate = numerator / denominator;
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}
