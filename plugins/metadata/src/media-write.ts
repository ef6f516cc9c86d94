import { PluginError } from '@conveyor/contracts';
import { cancelledError } from './cancellation.js';
import type { CheckedEdit } from './editable.js';
import { ffmpegPath } from './ffprobe.js';
import { runProcess } from './run-process.js';

/** ffmpeg's demuxer and muxer for each format: forced, never guessed from the content. */
const containers: Record<string, { demuxer: string; muxer: string; streams: string }> = {
  mp3: { demuxer: 'mp3', muxer: 'mp3', streams: '0' },
  // Ogg carries a cover as a Vorbis comment that ffmpeg shows as a video stream it cannot write back.
  ogg: { demuxer: 'ogg', muxer: 'ogg', streams: '0:a' },
  opus: { demuxer: 'ogg', muxer: 'opus', streams: '0:a' },
  flac: { demuxer: 'flac', muxer: 'flac', streams: '0' },
  // `ipod` is ffmpeg's name for the .m4a flavour of MP4 (brand M4A).
  m4a: { demuxer: 'mov', muxer: 'ipod', streams: '0' },
  mp4: { demuxer: 'mov', muxer: 'mp4', streams: '0' },
  mov: { demuxer: 'mov', muxer: 'mov', streams: '0' },
  mkv: { demuxer: 'matroska', muxer: 'matroska', streams: '0' },
  webm: { demuxer: 'matroska', muxer: 'webm', streams: '0' },
};

/**
 * Tags anonymize removes from audio and video: people's names (the artist is the recording's
 * author), the software, and the place of recording.
 */
export const mediaAnonymizeKeys = [
  'artist',
  'album_artist',
  'composer',
  'performer',
  'lyricist',
  'author',
  'encoded_by',
  'copyright',
  'encoder',
  'location',
  'location-eng',
  'com.apple.quicktime.location.ISO6709',
  'com.apple.quicktime.author',
  'com.apple.quicktime.software',
  'com.apple.quicktime.artist',
];

export interface MediaWriteOptions {
  format: string;
  /** The ID3v2 version the input had, so that a rewrite keeps it. */
  id3Version?: 3 | 4;
}

/** The ffmpeg arguments that copy every stream and write the edited tags. */
export function ffmpegWriteArgs(inputPath: string, outputPath: string, edit: CheckedEdit, options: MediaWriteOptions): string[] {
  const container = containers[options.format];
  if (!container) throw new PluginError('invalid_parameter', `ffmpeg does not rewrite ${options.format} files here`);
  // Vorbis comments in Ogg belong to the audio stream, not to the file.
  const target = container.demuxer === 'ogg' ? '-metadata:s:a:0' : '-metadata';
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-protocol_whitelist', 'file', '-f', container.demuxer, '-i', `file:${inputPath}`, '-map', container.streams];
  // Data streams are where action cameras keep GPS tracks and device serials.
  if (edit.anonymize || edit.strip_all) args.push('-dn');
  args.push('-c', 'copy');
  if (edit.strip_all) args.push('-map_metadata', '-1');
  // bitexact: no "Lavf…" encoder tag, which would be software the user did not ask for.
  args.push('-fflags', '+bitexact');
  if (options.format === 'mp3') args.push('-id3v2_version', String(options.id3Version ?? 4));
  const removed = new Set<string>();
  if (edit.anonymize) for (const key of mediaAnonymizeKeys) removed.add(key);
  for (const keys of edit.remove.values()) for (const key of keys) removed.add(key);
  for (const values of edit.set.values()) for (const key of values.keys()) removed.delete(key);
  for (const key of removed) args.push(target, `${key}=`);
  if (edit.anonymize && target === '-metadata') {
    // Streams carry their own encoder and handler tags.
    args.push('-metadata:s', 'encoder=');
  }
  for (const values of edit.set.values()) for (const [key, value] of values) args.push(target, `${key}=${value}`);
  args.push('-f', container.muxer, '-y', `file:${outputPath}`);
  return args;
}

export async function writeMedia(inputPath: string, outputPath: string, edit: CheckedEdit, options: MediaWriteOptions, signal: AbortSignal): Promise<void> {
  try {
    await runProcess(ffmpegPath, ffmpegWriteArgs(inputPath, outputPath, edit, options), signal);
  } catch (error) {
    if (error instanceof PluginError) throw error;
    if (signal.aborted) throw cancelledError();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PluginError('conversion_failed', `ffmpeg is not installed (${ffmpegPath})`);
    throw new PluginError('invalid_input', `ffmpeg could not rewrite the ${options.format} file: ${(error as Error).message}`);
  }
}
