import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FfmpegCommand } from 'fluent-ffmpeg';
import { newFfmpegCommand, quietGlobalOptions } from './ffmpeg-command.js';
import { runFfmpeg } from './ffmpeg-run.js';
import { isSourceFormatId, isVideoFormatId, type SourceFormatId } from './formats.js';
import { targetOf, type AudioTarget, type VideoTarget } from './targets.js';

export const templateSeconds = 1;
export const templateWidth = 160;
export const templateHeight = 120;
const templateTimeoutMs = 20_000;

/**
 * A one-second example of `format` made from ffmpeg's own generators: a 440 Hz tone, and for
 * video a test pattern. Undefined for a format this plugin does not read (GIF is the image
 * plugin's to show). Made in a private temporary folder, since MP4-family muxers need a seekable file.
 */
export async function makeMediaTemplate(format: string): Promise<Uint8Array | undefined> {
  if (!isSourceFormatId(format)) return undefined;
  const folder = await mkdtemp(join(tmpdir(), 'conveyor-media-template-'));
  try {
    const outputPath = join(folder, `template.${format}`);
    const run = await runFfmpeg(templateCommand(format, outputPath), { signal: AbortSignal.timeout(templateTimeoutMs) });
    if (run.startFailure || run.code !== 0) {
      throw new Error(`ffmpeg could not make a ${format} template: ${run.startFailure?.message ?? run.stderr.trim()}`);
    }
    return new Uint8Array(await readFile(outputPath));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function templateCommand(format: SourceFormatId, outputPath: string): FfmpegCommand {
  const tone = `sine=frequency=440:sample_rate=48000:duration=${templateSeconds}`;
  const pattern = `testsrc2=size=${templateWidth}x${templateHeight}:rate=10:duration=${templateSeconds}`;
  const target = targetOf(format) as AudioTarget | VideoTarget;
  const encoding =
    target.kind === 'video'
      ? ['-c:v', target.video.encoder, '-pix_fmt', 'yuv420p', '-c:a', target.audio.encoder, '-shortest']
      : ['-c:a', target.codec.encoder];
  const [first, ...others] = isVideoFormatId(format) ? [pattern, tone] : [tone];
  // No statistics: nothing reads progress here, and they would only crowd the error text.
  const command = newFfmpegCommand().input(first!).inputOptions([...quietGlobalOptions, '-nostats']).inputFormat('lavfi');
  for (const source of others) command.input(source).inputFormat('lavfi');
  return command.output(`file:${outputPath}`).outputOptions(encoding).format(target.muxer).outputOptions(['-y']);
}
