import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PluginError } from '@conveyor/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceFormatId } from '../src/formats.js';
import { mediaPlugin } from '../src/index.js';
import {
  conversionContext,
  durationOf,
  ffmpeg,
  makeWorkDir,
  probeFile,
  removeWorkDirs,
  streamOf,
  writeFixture,
  type FixtureShape,
} from './media-fixtures.js';

afterAll(removeWorkDirs);

async function convert(from: SourceFormatId, to: string, options: Record<string, unknown> = {}, shape: FixtureShape = {}) {
  const dir = await makeWorkDir();
  const inputPath = await writeFixture(dir, from, shape);
  return convertFile(inputPath, from, to, options);
}

async function convertFile(inputPath: string, from: string, to: string, options: Record<string, unknown> = {}) {
  const outputPath = join(await makeWorkDir(), `output.${to}`);
  const { ctx, progress } = conversionContext({ inputPath, outputPath, from, to, options });
  await mediaPlugin.convert(ctx);
  return { outputPath, progress, probed: await probeFile(outputPath), size: (await stat(outputPath)).size };
}

async function refusal(from: SourceFormatId, to: string, options: Record<string, unknown>, shape: FixtureShape = {}) {
  const dir = await makeWorkDir();
  const inputPath = await writeFixture(dir, from, shape);
  const outputPath = join(dir, `output.${to}`);
  const { ctx } = conversionContext({ inputPath, outputPath, from, to, options });
  const error = await mediaPlugin.convert(ctx).then(
    () => expect.unreachable(`${from} → ${to} with ${JSON.stringify(options)} succeeded`),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(PluginError);
  expect(await readdir(dir), 'a refused conversion leaves no output').toEqual([basename(inputPath)]);
  return error as PluginError;
}

describe('video options', () => {
  it('scales to a width, keeping the aspect ratio', async () => {
    const { probed } = await convert('mp4', 'webm', { width: 32 });
    const video = streamOf(probed, 'video')!;
    expect([video.codec_name, video.width, video.height]).toEqual(['vp9', 32, 24]);
  });

  it('scales to a height, rounding the width to an even number for H.264', async () => {
    const { probed } = await convert('webm', 'mkv', { height: 30 });
    expect([streamOf(probed, 'video')!.width, streamOf(probed, 'video')!.height]).toEqual([40, 30]);
  });

  it('applies a preset: small caps the longest side at 854 px', async () => {
    const small = mediaPlugin.capabilities.find((capability) => capability.from === 'mov' && capability.to === 'mp4')!.presets!.find((preset) => preset.id === 'small')!;
    const { probed } = await convert('mov', 'mp4', small.params, { width: 1280, height: 720, seconds: 0.5 });
    expect([streamOf(probed, 'video')!.width, streamOf(probed, 'video')!.height]).toEqual([854, 480]);
  });

  it('changes the frame rate', async () => {
    const { probed } = await convert('mp4', 'mov', { fps: 5 });
    expect(streamOf(probed, 'video')!.avg_frame_rate).toBe('5/1');
    expect(durationOf(probed)).toBeCloseTo(1, 0);
  });

  it('encodes a smaller file at a higher crf', async () => {
    const shape = { width: 320, height: 240 };
    const fine = await convert('mkv', 'mp4', { crf: 12 }, shape);
    const coarse = await convert('mkv', 'mp4', { crf: 40 }, shape);
    expect(coarse.size).toBeLessThan(fine.size);
  });

  it('trims with start and duration', async () => {
    const { probed } = await convert('mp4', 'webm', { start: 1, duration: 1.5 }, { seconds: 3 });
    expect(durationOf(probed)).toBeGreaterThan(1.35);
    expect(durationOf(probed)).toBeLessThan(1.65);
  });

  it('turns a rotated phone video upright, sizing it as displayed', async () => {
    const dir = await makeWorkDir();
    const landscape = await writeFixture(dir, 'mp4');
    const rotated = join(dir, 'rotated.mp4');
    await ffmpeg(['-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
    const { probed } = await convertFile(rotated, 'mp4', 'webm', { width: 24 });
    expect([streamOf(probed, 'video')!.width, streamOf(probed, 'video')!.height]).toEqual([24, 32]);
  });

  it('makes a GIF at the frame rate and size asked for', async () => {
    const { probed } = await convert('webm', 'gif', { fps: 5, width: 40 });
    const video = streamOf(probed, 'video')!;
    expect([video.codec_name, video.width, video.height, video.avg_frame_rate]).toEqual(['gif', 40, 30, '5/1']);
  });

  it('makes a GIF of a large video at the web preset size when asked for nothing', async () => {
    const { probed } = await convert('mp4', 'gif', {}, { width: 640, height: 360, seconds: 0.5 });
    expect([streamOf(probed, 'video')!.width, streamOf(probed, 'video')!.height]).toEqual([480, 270]);
  });

  it('converts a video without a soundtrack to another video, and refuses to extract audio from it', async () => {
    const dir = await makeWorkDir();
    const silent = join(dir, 'silent.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', silent]);
    const { probed } = await convertFile(silent, 'mp4', 'mkv');
    expect(probed.streams.map((stream) => stream.codec_type)).toEqual(['video']);
    const outputPath = join(dir, 'output.mp3');
    const { ctx } = conversionContext({ inputPath: silent, outputPath, from: 'mp4', to: 'mp3' });
    await expect(mediaPlugin.convert(ctx)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/no audio stream/) });
  });
});

describe('audio options', () => {
  it('resamples and changes the channel count', async () => {
    const { probed } = await convert('mp3', 'flac', { sample_rate: 22050, channels: 2 });
    const audio = streamOf(probed, 'audio')!;
    expect([audio.codec_name, audio.sample_rate, audio.channels]).toEqual(['flac', '22050', 2]);
  });

  it('mixes stereo down to mono', async () => {
    const { probed } = await convert('wav', 'm4a', { channels: 1 }, { channels: 2 });
    expect(streamOf(probed, 'audio')!.channels).toBe(1);
  });

  it('encodes MP3 at the bitrate asked for', async () => {
    const { probed } = await convert('wav', 'mp3', { bitrate: 64 }, { seconds: 2 });
    expect(Number(streamOf(probed, 'audio')!.bit_rate)).toBe(64_000);
  });

  it('encodes smaller files at the low preset than at very-high, for every lossy target', async () => {
    const input = await writeFixture(await makeWorkDir(), 'flac', { seconds: 2, channels: 2 });
    for (const to of ['mp3', 'ogg', 'opus', 'aac', 'm4a']) {
      const presets = mediaPlugin.capabilities.find((capability) => capability.from === 'flac' && capability.to === to)!.presets!;
      const params = (id: string) => presets.find((preset) => preset.id === id)!.params;
      const [low, veryHigh] = await Promise.all([convertFile(input, 'flac', to, params('low')), convertFile(input, 'flac', to, params('very-high'))]);
      expect(low.size, to).toBeLessThan(veryHigh.size);
    }
  });

  it('trims with start alone, to the end of the input', async () => {
    const { probed } = await convert('ogg', 'wav', { start: 2 }, { seconds: 3 });
    expect(durationOf(probed)).toBeCloseTo(1, 1);
  });

  it('keeps 24-bit samples of a 24-bit FLAC in WAV', async () => {
    const dir = await makeWorkDir();
    const deep = join(dir, 'deep.flac');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'flac', '-sample_fmt', 's32', '-bits_per_raw_sample', '24', deep]);
    const { probed } = await convertFile(deep, 'flac', 'wav');
    expect(streamOf(probed, 'audio')!.codec_name).toBe('pcm_s24le');
  });

  it('keeps every channel of 5.1(side) surround in Opus, which refuses that layout as it is', async () => {
    const dir = await makeWorkDir();
    const surround = join(dir, 'surround.flac');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.5', '-af', 'pan=5.1(side)|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0', '-c:a', 'flac', surround]);
    const { probed } = await convertFile(surround, 'flac', 'opus');
    expect(streamOf(probed, 'audio')!.channels).toBe(6);
  });

  it('extracts the soundtrack of a video', async () => {
    const { probed } = await convert('webm', 'opus');
    expect(probed.streams.map((stream) => stream.codec_name)).toEqual(['opus']);
  });
});

describe('progress and refusals', () => {
  it('reports 0 once the input is probed, then rising percentages, ending at 100', async () => {
    const { progress } = await convert('wav', 'flac', {}, { seconds: 30, sampleRate: 8000 });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((percent) => percent >= 0 && percent <= 100)).toBe(true);
  });

  it('refuses a start at or past the end of the input', async () => {
    const error = await refusal('mp3', 'wav', { start: 5 });
    expect(error).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(/past the end/) });
  });

  it('refuses invalid options before running anything', async () => {
    expect(await refusal('mp4', 'webm', { crf: 'best' })).toMatchObject({ code: 'invalid_parameter' });
    expect(await refusal('mp4', 'mp3', { width: 32 })).toMatchObject({ code: 'invalid_parameter' });
  });

  it('refuses a conversion it does not offer', async () => {
    expect(await refusal('mp3', 'mp4', {})).toMatchObject({ code: 'unsupported_conversion' });
    expect(await refusal('wav', 'gif', {})).toMatchObject({ code: 'unsupported_conversion' });
  });

  it('ends a truncated input in invalid_input carrying ffmpeg’s reason', async () => {
    const dir = await makeWorkDir();
    const whole = await writeFixture(dir, 'mkv');
    const truncated = join(dir, 'truncated.mkv');
    await writeFile(truncated, (await readFile(whole)).subarray(0, 60));
    const outputPath = join(dir, 'output.mp4');
    const { ctx } = conversionContext({ inputPath: truncated, outputPath, from: 'mkv', to: 'mp4' });
    const error = (await mediaPlugin.convert(ctx).catch((failure: unknown) => failure)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('invalid_input');
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toContain(dir);
    expect((await readdir(dir)).sort()).toEqual([basename(whole), 'truncated.mkv'].sort());
  });
});
