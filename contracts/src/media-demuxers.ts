/**
 * The demuxer ffmpeg and ffprobe are forced to read each audio or video format with. Left to
 * guess, ffmpeg would also recognise an HLS playlist, a concat list or an image sequence
 * pattern, each of which opens further files named inside the upload; forced, anything but the
 * declared container fails to parse. The media plugin converts and the scanner probes by it.
 */
export const ffmpegDemuxers = {
  mp3: 'mp3',
  wav: 'wav',
  flac: 'flac',
  ogg: 'ogg',
  opus: 'ogg',
  aac: 'aac',
  m4a: 'mov',
  mp4: 'mov',
  mov: 'mov',
  webm: 'matroska',
  mkv: 'matroska',
} as const satisfies Record<string, string>;

/** The demuxer for a format id, or undefined for one that is not audio or video. */
export function ffmpegDemuxerOf(format: string): string | undefined {
  return Object.hasOwn(ffmpegDemuxers, format) ? ffmpegDemuxers[format as keyof typeof ffmpegDemuxers] : undefined;
}
