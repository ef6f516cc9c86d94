import { readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConversionLimits } from '@conveyor/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceFormatId } from '../src/formats.js';
import { mediaPlugin } from '../src/index.js';
import { conversionContext, makeWorkDir, probeFile, removeWorkDirs, writeFixture, type FixtureShape } from './media-fixtures.js';

afterAll(removeWorkDirs);

async function convertUnder(
  limits: Partial<ConversionLimits>,
  from: SourceFormatId,
  to: string,
  options: Record<string, unknown> = {},
  shape: FixtureShape = {},
) {
  const dir = await makeWorkDir();
  const inputPath = await writeFixture(dir, from, shape);
  return convertFileUnder(limits, inputPath, from, to, options);
}

async function convertFileUnder(limits: Partial<ConversionLimits>, inputPath: string, from: string, to: string, options: Record<string, unknown> = {}) {
  const dir = await makeWorkDir();
  const outputPath = join(dir, `output.${to}`);
  const { ctx } = conversionContext({ inputPath, outputPath, from, to, options, limits });
  const outcome = await mediaPlugin.convert(ctx).then(
    () => ({ error: undefined }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, written: await readdir(dir), outputPath };
}

describe('duration limit', () => {
  it('refuses an input longer than maxDurationSeconds, writing nothing', async () => {
    const { error, written } = await convertUnder({ maxDurationSeconds: 0.5 }, 'mp3', 'wav');
    expect(error).toMatchObject({ code: 'limit_exceeded', message: expect.stringMatching(/lasts 1\.\d s, longer than the limit of 0\.5 s/) });
    expect(written).toEqual([]);
  });

  it('holds a video to the limit whatever the target, its soundtrack included', async () => {
    const { error } = await convertUnder({ maxDurationSeconds: 0.5 }, 'webm', 'mp3');
    expect(error).toMatchObject({ code: 'limit_exceeded' });
  });

  it('converts an input within the limit', async () => {
    const { error, written } = await convertUnder({ maxDurationSeconds: 2 }, 'mp3', 'wav');
    expect(error).toBeUndefined();
    expect(written).toEqual(['output.wav']);
  });

  it('stops an input whose container states no duration once it has run past the limit', async () => {
    const dir = await makeWorkDir();
    const live = join(dir, 'live.webm');
    // Written to a pipe, as a browser's MediaRecorder does, a WebM carries no duration.
    const { stdout } = await promisify(execFile)(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=4', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-f', 'webm', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
    );
    await writeFile(live, stdout);
    expect((await probeFile(live)).format.duration).toBeUndefined();

    const refused = await convertFileUnder({ maxDurationSeconds: 1 }, live, 'webm', 'mkv');
    expect(refused.error).toMatchObject({ code: 'limit_exceeded', message: expect.stringMatching(/lasts more than/) });
    expect(refused.written).toEqual([]);

    const converted = await convertFileUnder({ maxDurationSeconds: 10 }, live, 'webm', 'mkv');
    expect(converted.error).toBeUndefined();
    expect(Number((await probeFile(converted.outputPath)).format.duration)).toBeCloseTo(4, 0);
  });
});

describe('frame size limit', () => {
  it('refuses a video whose frames have more pixels than maxPixels', async () => {
    const { error, written } = await convertUnder({ maxPixels: 64 * 48 - 1 }, 'mp4', 'webm');
    expect(error).toMatchObject({ code: 'limit_exceeded', message: expect.stringMatching(/input frame of 64×48 \(3072 pixels\) exceeds the limit of 3071/) });
    expect(written).toEqual([]);
  });

  it('refuses to scale a video up beyond maxPixels', async () => {
    const { error, written } = await convertUnder({ maxPixels: 100_000 }, 'mkv', 'mp4', { width: 640 });
    expect(error).toMatchObject({ code: 'limit_exceeded', message: expect.stringMatching(/output frame of 640×480/) });
    expect(written).toEqual([]);
  });

  it('holds a GIF to the limit too', async () => {
    const { error } = await convertUnder({ maxPixels: 10_000 }, 'mov', 'gif', { height: 200 });
    expect(error).toMatchObject({ code: 'limit_exceeded' });
  });

  it('lets the soundtrack of an oversized video through: its frames are never decoded', async () => {
    const { error, written } = await convertUnder({ maxPixels: 100 }, 'mp4', 'flac');
    expect(error).toBeUndefined();
    expect(written).toEqual(['output.flac']);
  });

  it('converts a video within the limit', async () => {
    const { error, written } = await convertUnder({ maxPixels: 64 * 48 }, 'mp4', 'mov');
    expect(error).toBeUndefined();
    expect(written.map((name) => basename(name))).toEqual(['output.mov']);
  });
});
