import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { outputFormatIds } from '../src/formats.js';
import imagePlugin from '../src/index.js';
import { templateHeight, templateWidth } from '../src/templates.js';
import { expectedFormatName, inspectOutput } from './image-fixtures.js';

describe('image templates', () => {
  it.each(outputFormatIds)('makes a %s template that decodes, every pixel, as that format', async (format) => {
    const bytes = await imagePlugin.template!(format);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = await inspectOutput(Buffer.from(bytes!), format);
    expect(decoded.format).toBe(expectedFormatName(format));
    expect([decoded.width, decoded.height]).toEqual([templateWidth, templateHeight]);
  });

  it('makes an SVG template that rasterises at its declared size', async () => {
    const bytes = await imagePlugin.template!('svg');
    const { info } = await sharp(Buffer.from(bytes!)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([templateWidth, templateHeight]);
  });

  it.each(['heic', 'heif', 'pdf'])('makes no %s template (no encoder here, or not an image format)', async (format) => {
    expect(await imagePlugin.template!(format)).toBeUndefined();
  });

  it('declares every format it converts, so the catalog can name them', () => {
    const declared = imagePlugin.formats!.map((format) => format.id).sort();
    const converted = [...new Set(imagePlugin.capabilities.flatMap((capability) => [capability.from, capability.to]))].sort();
    expect(declared).toEqual(converted);
  });
});
