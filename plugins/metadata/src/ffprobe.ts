import { access } from 'node:fs/promises';
import { runProcess } from './run-process.js';
import type { SectionCollector } from './values.js';

export const ffprobePath = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';
export const ffmpegPath = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

export async function ffmpegAvailable(): Promise<boolean> {
  try {
    await Promise.all([access(ffprobePath), access(ffmpegPath)]);
    return true;
  } catch {
    return false;
  }
}

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  color_space?: string;
  color_primaries?: string;
  color_transfer?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bit_rate?: string;
  duration?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; nb_streams?: number; tags?: Record<string, string> };
}

/** Which stream facts make it into the `Streams` section. */
const streamFields = ['codec_type', 'codec_name', 'profile', 'width', 'height', 'pix_fmt', 'color_space', 'color_primaries', 'color_transfer', 'r_frame_rate', 'sample_rate', 'channels', 'channel_layout', 'bit_rate', 'duration'] as const;

/** Runs ffprobe on `path`, forcing nothing but the file protocol (a playlist cannot reach elsewhere). */
export async function runFfprobe(path: string, signal: AbortSignal): Promise<ProbeOutput> {
  const { stdout } = await runProcess(
    ffprobePath,
    ['-v', 'error', '-protocol_whitelist', 'file', '-show_format', '-show_streams', '-of', 'json', `file:${path}`],
    signal,
  );
  return JSON.parse(stdout.toString('utf8')) as ProbeOutput;
}

function numeric(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function probeDuration(probe: ProbeOutput): number | undefined {
  return numeric(probe.format?.duration);
}

/** The display rotation of the first video stream, in degrees, if any. */
export function probeRotation(probe: ProbeOutput): number | undefined {
  for (const stream of probe.streams ?? []) {
    const rotation = stream.side_data_list?.find((side) => typeof side.rotation === 'number')?.rotation;
    if (rotation !== undefined) return rotation;
    const tag = stream.tags?.rotate;
    if (tag !== undefined) return numeric(tag);
  }
  return undefined;
}

/** Adds the `Streams` section: the container and each stream's codec, size and timing. */
export function collectStreams(probe: ProbeOutput, collector: SectionCollector): void {
  const format = probe.format ?? {};
  collector.add('Streams', 'format_name', format.format_name);
  collector.add('Streams', 'duration', numeric(format.duration));
  collector.add('Streams', 'bit_rate', numeric(format.bit_rate));
  collector.add('Streams', 'nb_streams', format.nb_streams);
  for (const stream of probe.streams ?? []) {
    const prefix = `stream${stream.index ?? 0}`;
    for (const field of streamFields) {
      const value = stream[field];
      if (value === '0/0') continue;
      collector.add('Streams', `${prefix}.${field}`, typeof value === 'string' && field !== 'codec_type' && numeric(value) !== undefined && field !== 'r_frame_rate' ? numeric(value) : value);
    }
    if (stream.disposition?.attached_pic) collector.add('Streams', `${prefix}.attached_pic`, true);
    const rotation = stream.side_data_list?.find((side) => typeof side.rotation === 'number')?.rotation;
    collector.add('Streams', `${prefix}.rotation`, rotation);
  }
}

/** Container-level tags of Matroska/WebM files, named as ffmpeg reads and writes them. */
export function collectContainerTags(section: string, probe: ProbeOutput, collector: SectionCollector): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(probe.format?.tags ?? {})) {
    const name = key.toLowerCase();
    collector.add(section, name, value);
    keys.push(name);
  }
  return keys;
}
