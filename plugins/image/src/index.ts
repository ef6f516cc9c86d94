import { definePlugin } from '@conveyor/contracts';
import { imageCapabilities } from './capabilities.js';
import { convertImage } from './convert.js';
import { imageFormats } from './formats.js';
import { probeSharp } from './probe.js';
import { makeImageTemplate } from './templates.js';

/**
 * Raster image conversions through sharp (libvips): PNG, JPEG, WebP, AVIF, TIFF, GIF, BMP and
 * ICO both ways; HEIC/HEIF (through libheif in WebAssembly) and SVG (rasterised by librsvg, with
 * nothing outside the file followed) as inputs.
 */
export const imagePlugin = definePlugin({
  id: 'image',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  formats: imageFormats,
  capabilities: imageCapabilities,
  probe: probeSharp,
  convert: convertImage,
  handlesMetadata: true,
  template: makeImageTemplate,
});

export default imagePlugin;
export { imageCapabilities } from './capabilities.js';
export { imageFormatIds, imageFormats, inputFormatIds, outputFormatIds, type ImageFormatId, type InputFormatId, type OutputFormatId } from './formats.js';
export { parseImageOptions, type ImageOptions } from './options.js';
