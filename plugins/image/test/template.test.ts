import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageFormatIds } from '../src/formats.js';
import imagePlugin from '../src/index.js';
import { templateHeight, templateWidth } from '../src/templates.js';
import { decodedFormatName } from './image-fixtures.js';

describe('image templates', () => {
  it.each(imageFormatIds)('makes a %s template that decodes as that format', async (format) => {
    const bytes = await imagePlugin.template!(format);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const metadata = await sharp(bytes!).metadata();
    expect(metadata.format).toBe(decodedFormatName[format]);
    expect([metadata.width, metadata.height]).toEqual([templateWidth, templateHeight]);
    // Decoding every pixel, not just the header, proves the file is whole.
    const { info } = await sharp(bytes!).raw().toBuffer({ resolveWithObject: true });
    expect(info.width * info.height).toBe(templateWidth * templateHeight);
  });

  it('makes no template for a format it does not declare', async () => {
    expect(await imagePlugin.template!('pdf')).toBeUndefined();
  });

  it('declares every format it converts, so the catalog can name them', () => {
    const declared = imagePlugin.formats!.map((format) => format.id).sort();
    const converted = [...new Set(imagePlugin.capabilities.flatMap((capability) => [capability.from, capability.to]))].sort();
    expect(declared).toEqual(converted);
  });
});
