import { ffmpegDemuxers, type Format } from '@conveyor/contracts';

export const audioFormatIds = ['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a'] as const;
export const videoFormatIds = ['mp4', 'webm', 'mov', 'mkv'] as const;

export type AudioFormatId = (typeof audioFormatIds)[number];
export type VideoFormatId = (typeof videoFormatIds)[number];
/** A format this plugin reads. */
export type SourceFormatId = AudioFormatId | VideoFormatId;
/** A format this plugin writes: every source format, and animated GIF made from a video. */
export type TargetFormatId = SourceFormatId | 'gif';

/**
 * The formats this plugin reads and writes, as the ingress knows them (core/src/formats/sniff.ts).
 * GIF is left to the image plugin, which owns it; this plugin only writes GIFs.
 */
export const mediaFormats: Format[] = [
  { id: 'mp3', name: 'MP3', mime: 'audio/mpeg', extensions: ['mp3'], category: 'audio' },
  { id: 'wav', name: 'WAV', mime: 'audio/wav', extensions: ['wav'], category: 'audio' },
  { id: 'flac', name: 'FLAC', mime: 'audio/flac', extensions: ['flac'], category: 'audio' },
  { id: 'ogg', name: 'Ogg Vorbis', mime: 'audio/ogg', extensions: ['ogg', 'oga'], category: 'audio' },
  { id: 'opus', name: 'Opus', mime: 'audio/opus', extensions: ['opus'], category: 'audio' },
  { id: 'aac', name: 'AAC (ADTS)', mime: 'audio/aac', extensions: ['aac'], category: 'audio' },
  { id: 'm4a', name: 'M4A (AAC)', mime: 'audio/mp4', extensions: ['m4a'], category: 'audio' },
  { id: 'mp4', name: 'MP4 (H.264/AAC)', mime: 'video/mp4', extensions: ['mp4', 'm4v'], category: 'video' },
  { id: 'webm', name: 'WebM (VP9/Opus)', mime: 'video/webm', extensions: ['webm'], category: 'video' },
  { id: 'mov', name: 'QuickTime', mime: 'video/quicktime', extensions: ['mov', 'qt'], category: 'video' },
  { id: 'mkv', name: 'Matroska', mime: 'video/x-matroska', extensions: ['mkv'], category: 'video' },
];

/** The demuxer ffmpeg is forced to read each source format with (see ffmpegDemuxers). */
export const demuxerOf: Record<SourceFormatId, string> = ffmpegDemuxers;

export function isAudioFormatId(value: string): value is AudioFormatId {
  return (audioFormatIds as readonly string[]).includes(value);
}

export function isVideoFormatId(value: string): value is VideoFormatId {
  return (videoFormatIds as readonly string[]).includes(value);
}

export function isSourceFormatId(value: string): value is SourceFormatId {
  return isAudioFormatId(value) || isVideoFormatId(value);
}

export function isTargetFormatId(value: string): value is TargetFormatId {
  return isSourceFormatId(value) || value === 'gif';
}

export function formatName(format: string): string {
  if (format === 'gif') return 'GIF';
  return mediaFormats.find((candidate) => candidate.id === format)?.name ?? format;
}
