import { defineMetadataTool } from '@conveyor/contracts';
import { endExiftool } from './exiftool.js';
import { readableFormatIds, writableFormatIds } from './formats.js';
import { probeMetadataTools } from './probe.js';
import { inspect } from './read.js';
import { writeMetadata } from './write.js';

/**
 * Reads and rewrites file metadata: exiftool for images and PDF, music-metadata for audio
 * tags, ffprobe for streams, this package's own reader for office documents; rewrites through
 * exiftool (images), pdf-lib (PDF), ffmpeg stream copies (audio, video) and a zip rewrite of
 * the document properties (office).
 */
export const metadataTool = defineMetadataTool({
  id: 'metadata',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  readableFormats: readableFormatIds,
  writableFormats: writableFormatIds,
  probe: probeMetadataTools,
  read: async (ctx) => (await inspect(ctx)).report,
  write: writeMetadata,
  dispose: endExiftool,
});

export default metadataTool;
export { metadataGuide } from './guide.js';
export { readableFormatIds, writableFormatIds } from './formats.js';
