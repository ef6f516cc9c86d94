import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PluginError } from '@conveyor/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { conversionCommand } from '../src/conversion-command.js';
import { audioFormatIds, videoFormatIds, type SourceFormatId } from '../src/formats.js';
import { mediaPlugin } from '../src/index.js';
import { targetOf } from '../src/targets.js';
import { conversionContext, makeWorkDir, removeWorkDirs } from './media-fixtures.js';

afterAll(removeWorkDirs);

const sourceFormats: SourceFormatId[] = [...audioFormatIds, ...videoFormatIds];

/**
 * A named pipe standing in for a file outside the job, with a writer waiting on it: opening a
 * pipe for writing blocks until something opens it for reading, so the writer having exited
 * proves that something read the "file". Nothing reads it, and the writer is still waiting.
 */
interface Tripwire {
  path: string;
  /** Resolves true once something has opened the pipe for reading. */
  wasRead(): Promise<boolean>;
}

const writers: ChildProcess[] = [];
afterEach(() => {
  for (const writer of writers.splice(0)) if (writer.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL');
});

async function tripwire(dir: string, name: string): Promise<Tripwire> {
  const path = join(dir, name);
  await promisify(execFile)('mkfifo', [path]);
  const writer = spawn('sh', ['-c', 'exec printf "not media" > "$0"', path], { stdio: 'ignore' });
  writers.push(writer);
  const exited = new Promise<boolean>((resolve) => writer.once('exit', (code) => resolve(code === 0)));
  return {
    path,
    // A reader that opened the pipe lets the writer finish within milliseconds of it.
    wasRead: () => Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 150))]),
  };
}

const hlsPlaylist = (segment: string) => `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${segment}\n#EXT-X-ENDLIST\n`;
const concatList = (file: string) => `ffconcat version 1.0\nfile '${file}'\n`;

async function runFfmpegUnrestricted(args: string[]): Promise<void> {
  await promisify(execFile)('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args, '-f', 'null', '-'], { timeout: 10_000 }).catch(() => undefined);
}

async function convertDisguised(content: string, from: SourceFormatId) {
  const job = await makeWorkDir();
  const inputPath = join(job, `input.${from}`);
  await writeFile(inputPath, content);
  const to = from === 'wav' ? 'flac' : 'wav';
  const { ctx } = conversionContext({ inputPath, outputPath: join(job, `output.${to}`), from, to });
  const error = await mediaPlugin.convert(ctx).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, written: await readdir(job) };
}

describe('an input that names other files', () => {
  it('is followed by ffmpeg left to itself: the tripwires work', async () => {
    const outside = await makeWorkDir();
    const segment = await tripwire(outside, 'segment.ts');
    const playlist = join(outside, 'playlist.m3u8');
    await writeFile(playlist, hlsPlaylist(segment.path));
    await runFfmpegUnrestricted(['-i', playlist]);
    expect(await segment.wasRead()).toBe(true);

    const listed = await tripwire(outside, 'listed.wav');
    const list = join(outside, 'list.txt');
    await writeFile(list, concatList(listed.path));
    await runFfmpegUnrestricted(['-f', 'concat', '-safe', '0', '-i', list]);
    expect(await listed.wasRead()).toBe(true);
  });

  it.each(sourceFormats)('is refused as %s when it is an HLS playlist, and the segment it names is never opened', async (from) => {
    const segment = await tripwire(await makeWorkDir(), 'segment.ts');
    const { error, written } = await convertDisguised(hlsPlaylist(segment.path), from);
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(written).toEqual([`input.${from}`]);
    expect(await segment.wasRead()).toBe(false);
  });

  it.each(sourceFormats)('is refused as %s when it is a concat list, and the file it lists is never opened', async (from) => {
    const listed = await tripwire(await makeWorkDir(), 'listed.wav');
    const { error, written } = await convertDisguised(concatList(listed.path), from);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(written).toEqual([`input.${from}`]);
    expect(await listed.wasRead()).toBe(false);
  });
});

describe('the ffmpeg command line fluent-ffmpeg builds', () => {
  const plan = {
    inputPath: '/jobs/1/input.mp4',
    outputPath: '/jobs/1/output.webm',
    from: 'mp4' as const,
    target: targetOf('webm'),
    options: { start: 1.25, duration: 2, crf: 30, fps: 24 },
    info: { durationSeconds: 10, video: { index: 0, width: 64, height: 48 }, audio: { index: 1, sampleRate: 48000, channels: 2, codec: 'aac' } },
    maxPixels: 1_000_000,
    frame: { width: 32, height: 24 },
  };
  const args = conversionCommand(plan)._getArguments();
  const inputAt = args.indexOf('-i');

  it('opens the input as a local file only, with its demuxer forced and without reading stdin', () => {
    expect(args[inputAt + 1]).toBe('file:/jobs/1/input.mp4');
    expect(args.slice(0, inputAt).join(' ')).toBe(
      '-hide_banner -nostdin -loglevel error -stats -f mov -protocol_whitelist file -enable_drefs 0 -max_pixels 1000000 -ss 1.250 -t 2.000',
    );
    expect(args.filter((arg) => arg === '-i')).toHaveLength(1);
  });

  it('writes only to the output path, through the file protocol', () => {
    expect(args.at(-1)).toBe('file:/jobs/1/output.webm');
    expect(args.slice(inputAt + 2).join(' ')).toBe(
      '-map 0:0 -vf fps=24.000,scale=32:24 -c:v libvpx-vp9 -crf 30 -b:v 0 -deadline good -cpu-used 5 -row-mt 1 -pix_fmt yuv420p ' +
        '-map 0:1 -c:a libopus -b:a 128k -f webm -y file:/jobs/1/output.webm',
    );
  });

  it('keeps a path with spaces whole', () => {
    const spaced = conversionCommand({ ...plan, inputPath: '/jobs/a b/input.mp4', outputPath: '/jobs/a b/output.webm' })._getArguments();
    expect(spaced).toContain('file:/jobs/a b/input.mp4');
    expect(spaced.at(-1)).toBe('file:/jobs/a b/output.webm');
  });
});
