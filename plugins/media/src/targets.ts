import type { AudioFormatId, TargetFormatId, VideoFormatId } from './formats.js';

/** The lossy-audio presets, lowest bitrate first. */
export const audioQualityPresetIds = ['low', 'web', 'high', 'very-high'] as const;
export type AudioQualityPresetId = (typeof audioQualityPresetIds)[number];

/** The video presets. */
export const videoPresetIds = ['web', 'high', 'small'] as const;
export type VideoPresetId = (typeof videoPresetIds)[number];

export interface AudioCodec {
  /** ffmpeg's name for the encoder. */
  encoder: string;
  /** Bitrate bounds and the presets' bitrates, in kbit/s; absent for a lossless codec. */
  bitrate?: { minimum: number; maximum: number; presets: Record<AudioQualityPresetId, number> };
  /** The sample rates the codec (and its container) can carry. */
  sampleRates: readonly number[];
}

export interface AudioTarget {
  kind: 'audio';
  /** ffmpeg's name for the muxer. */
  muxer: string;
  codec: AudioCodec;
}

export interface VideoCodec {
  encoder: string;
  /** Constant-quality bounds (lower is better), the default and the presets' values. */
  crf: { minimum: number; maximum: number; default: number; presets: Record<VideoPresetId, number> };
}

export interface VideoTarget {
  kind: 'video';
  muxer: string;
  video: VideoCodec;
  /** The encoder of the audio track, and its fixed bitrate in kbit/s. */
  audio: { encoder: string; bitrateKbps: number };
}

export interface GifTarget {
  kind: 'gif';
  muxer: 'gif';
}

export type Target = AudioTarget | VideoTarget | GifTarget;

const commonRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const highRates = [...commonRates, 64000, 88200, 96000] as const;
const losslessRates = [...highRates, 176400, 192000] as const;

const mp3: AudioCodec = {
  encoder: 'libmp3lame',
  bitrate: { minimum: 8, maximum: 320, presets: { low: 96, web: 128, high: 192, 'very-high': 320 } },
  sampleRates: commonRates,
};
const aac: AudioCodec = {
  encoder: 'aac',
  bitrate: { minimum: 16, maximum: 512, presets: { low: 64, web: 128, high: 192, 'very-high': 256 } },
  sampleRates: highRates,
};
const vorbis: AudioCodec = {
  encoder: 'libvorbis',
  bitrate: { minimum: 32, maximum: 500, presets: { low: 96, web: 128, high: 192, 'very-high': 256 } },
  sampleRates: highRates,
};
const opus: AudioCodec = {
  encoder: 'libopus',
  // Opus is transparent at far lower bitrates than MP3 or AAC.
  bitrate: { minimum: 6, maximum: 510, presets: { low: 48, web: 96, high: 128, 'very-high': 192 } },
  sampleRates: [8000, 12000, 16000, 24000, 48000],
};
const pcm: AudioCodec = { encoder: 'pcm_s16le', sampleRates: losslessRates };
const flac: AudioCodec = { encoder: 'flac', sampleRates: losslessRates };

const audioTargets: Record<AudioFormatId, AudioTarget> = {
  mp3: { kind: 'audio', muxer: 'mp3', codec: mp3 },
  wav: { kind: 'audio', muxer: 'wav', codec: pcm },
  flac: { kind: 'audio', muxer: 'flac', codec: flac },
  ogg: { kind: 'audio', muxer: 'ogg', codec: vorbis },
  opus: { kind: 'audio', muxer: 'opus', codec: opus },
  aac: { kind: 'audio', muxer: 'adts', codec: aac },
  // The ipod muxer is MP4 with the M4A brand, which is what tells players (and the ingress) it is audio.
  m4a: { kind: 'audio', muxer: 'ipod', codec: aac },
};

const h264: VideoCodec = {
  encoder: 'libx264',
  crf: { minimum: 0, maximum: 51, default: 23, presets: { web: 23, high: 18, small: 28 } },
};
const vp9: VideoCodec = {
  encoder: 'libvpx-vp9',
  crf: { minimum: 0, maximum: 63, default: 32, presets: { web: 33, high: 24, small: 40 } },
};

const videoTargets: Record<VideoFormatId, VideoTarget> = {
  mp4: { kind: 'video', muxer: 'mp4', video: h264, audio: { encoder: 'aac', bitrateKbps: 160 } },
  mov: { kind: 'video', muxer: 'mov', video: h264, audio: { encoder: 'aac', bitrateKbps: 160 } },
  mkv: { kind: 'video', muxer: 'matroska', video: h264, audio: { encoder: 'aac', bitrateKbps: 160 } },
  webm: { kind: 'video', muxer: 'webm', video: vp9, audio: { encoder: 'libopus', bitrateKbps: 128 } },
};

const gifTarget: GifTarget = { kind: 'gif', muxer: 'gif' };

export function targetOf(format: TargetFormatId): Target {
  if (format === 'gif') return gifTarget;
  if (format in audioTargets) return audioTargets[format as AudioFormatId];
  return videoTargets[format as VideoFormatId];
}

/** Every encoder some target uses: the probe checks that ffmpeg has each of them. */
export function requiredEncoders(): string[] {
  const encoders = new Set<string>(['gif']);
  for (const target of Object.values(audioTargets)) encoders.add(target.codec.encoder);
  for (const target of Object.values(videoTargets)) {
    encoders.add(target.video.encoder);
    encoders.add(target.audio.encoder);
  }
  return [...encoders].sort();
}

/** Longest side of each video preset's frame: 480p, 720p and 1080p for landscape and portrait alike. */
export const videoPresetMaxSize: Record<VideoPresetId, number> = { small: 854, web: 1280, high: 1920 };

/** Animated GIFs grow fast with size and frame rate: each preset caps both. */
export const gifPresets: Record<VideoPresetId, { fps: number; maxSize: number }> = {
  small: { fps: 8, maxSize: 320 },
  web: { fps: 10, maxSize: 480 },
  high: { fps: 15, maxSize: 640 },
};

/** A GIF made without options still gets a sane size and frame rate: the web preset's. */
export const gifDefaults = gifPresets.web;
