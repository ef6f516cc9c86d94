import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConversionLimits, ConvertContext } from '@conveyor/contracts';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { isVideoFormatId, type SourceFormatId } from '../src/formats.js';

const run = promisify(execFile);

export const fixtureSeconds = 1;
export const fixtureWidth = 64;
export const fixtureHeight = 48;
export const fixtureFps = 10;
export const fixtureSampleRate = 44_100;

const workDirs: string[] = [];

/** A fresh folder per test, so that parallel tests never share files; see `removeWorkDirs`. */
export async function makeWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-media-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Runs ffmpeg directly, as the tests' own tool (fixtures, controls), never through the plugin. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
}

/** The encoders and muxer each source format's fixture is written with: the fastest settings, it is only test input. */
const fixtureEncoding: Record<SourceFormatId, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-f', 'mp3'],
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
  opus: ['-c:a', 'libopus', '-f', 'opus'],
  aac: ['-c:a', 'aac', '-f', 'adts'],
  m4a: ['-c:a', 'aac', '-f', 'ipod'],
  mp4: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mp4'],
  mov: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mov'],
  mkv: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'matroska'],
  webm: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-f', 'webm'],
};

export interface FixtureShape {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  sampleRate?: number;
  channels?: number;
}

/**
 * Writes a test file of `format` into `dir`: a 440 Hz tone (mono by default), and for video
 * formats a test pattern with that tone as its soundtrack. Defaults are tiny, for speed.
 */
export async function writeFixture(dir: string, format: SourceFormatId, shape: FixtureShape = {}): Promise<string> {
  const seconds = shape.seconds ?? fixtureSeconds;
  const path = join(dir, `fixture-${Math.random().toString(36).slice(2)}.${format}`);
  const tone = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${shape.sampleRate ?? fixtureSampleRate}:duration=${seconds}`];
  const picture = isVideoFormatId(format)
    ? ['-f', 'lavfi', '-i', `testsrc=size=${shape.width ?? fixtureWidth}x${shape.height ?? fixtureHeight}:rate=${shape.fps ?? fixtureFps}:duration=${seconds}`]
    : [];
  await ffmpeg([...picture, ...tone, '-ac', String(shape.channels ?? 1), ...fixtureEncoding[format], `file:${path}`]);
  return path;
}

const samples = new Map<SourceFormatId, Promise<Uint8Array>>();

/** The default fixture of `format`, made once per test file. */
export function sampleBytes(format: SourceFormatId): Promise<Uint8Array> {
  let sample = samples.get(format);
  if (!sample) {
    sample = makeWorkDir().then(async (dir) => readFile(await writeFixture(dir, format)));
    samples.set(format, sample);
  }
  return sample;
}

export interface ProbedFile {
  format: { format_name: string; duration?: string; tags?: { major_brand?: string } };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; channels?: number; avg_frame_rate?: string; bit_rate?: string }[];
}

/** What ffprobe reads in a file: its container, duration and streams. */
export async function probeFile(path: string): Promise<ProbedFile> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-of', 'json',
    '-show_entries', 'format=format_name,duration:format_tags=major_brand:stream=codec_type,codec_name,width,height,sample_rate,channels,avg_frame_rate,bit_rate',
    `file:${path}`,
  ]);
  return JSON.parse(stdout) as ProbedFile;
}

export async function probeBytes(bytes: Uint8Array, extension: string): Promise<ProbedFile> {
  const dir = await makeWorkDir();
  const path = join(dir, `probed.${extension}`);
  await writeFile(path, bytes);
  return probeFile(path);
}

export function streamOf(probed: ProbedFile, type: 'audio' | 'video') {
  return probed.streams.find((stream) => stream.codec_type === type);
}

export function durationOf(probed: ProbedFile): number {
  return Number(probed.format.duration);
}

export interface ContextSettings {
  inputPath: string;
  outputPath: string;
  from: string;
  to: string;
  options?: Record<string, unknown>;
  signal?: AbortSignal;
  limits?: Partial<ConversionLimits>;
}

/** A conversion context as the worker would give it, recording the progress reported. */
export function conversionContext(settings: ContextSettings): { ctx: ConvertContext; progress: number[] } {
  const progress: number[] = [];
  const quiet = () => undefined;
  const ctx: ConvertContext = {
    inputPath: settings.inputPath,
    outputPath: settings.outputPath,
    from: settings.from,
    to: settings.to,
    options: settings.options ?? {},
    signal: settings.signal ?? new AbortController().signal,
    progress: (percent) => progress.push(percent),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    limits: { ...defaultLimits, ...settings.limits },
  };
  return { ctx, progress };
}
