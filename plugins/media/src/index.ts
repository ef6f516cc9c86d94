import { definePlugin } from '@conveyor/contracts';
import { mediaCapabilities } from './capabilities.js';
import { convertMedia } from './convert.js';
import { mediaFormats } from './formats.js';
import { probeFfmpeg } from './probe.js';
import { makeMediaTemplate } from './templates.js';

/**
 * Audio and video conversions through ffmpeg: MP3, WAV, FLAC, Ogg Vorbis, Opus, AAC and M4A
 * among themselves; MP4, WebM, MOV and MKV among themselves, to animated GIF and to every audio format.
 */
export const mediaPlugin = definePlugin({
  id: 'media',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  formats: mediaFormats,
  capabilities: mediaCapabilities,
  probe: probeFfmpeg,
  convert: convertMedia,
  template: makeMediaTemplate,
});

export default mediaPlugin;
export { mediaCapabilities } from './capabilities.js';
export { audioFormatIds, mediaFormats, videoFormatIds, type AudioFormatId, type SourceFormatId, type TargetFormatId, type VideoFormatId } from './formats.js';
export { parseMediaOptions, type MediaOptions } from './options.js';
