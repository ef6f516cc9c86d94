import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the tests find ffmpeg: an independent BMP and ICO codec, and an HEVC encoder for HEIC fixtures. */
export const ffmpegPath = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** Runs ffmpeg with `input` on stdin and returns its stdout; fails with ffmpeg's own message. */
export function runFfmpeg(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${ffmpegPath} (the image tests need ffmpeg with libx265): ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`ffmpeg ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ? Buffer.from(input) : undefined);
  });
}

/** ffmpeg's rawvideo pixel format names for 8-bit RGB and RGBA. */
export function rawPixelFormat(channels: 3 | 4): string {
  return channels === 4 ? 'rgba' : 'rgb24';
}

/** Like `runFfmpeg`, for muxers that must seek (ICO): ffmpeg writes a file, whose bytes are returned. Ends `args` with that file. */
export async function runFfmpegToFile(args: readonly string[], extension: string, input?: Uint8Array): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-image-ffmpeg-'));
  try {
    const output = join(dir, `output.${extension}`);
    await runFfmpeg([...args, '-y', output], input);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
