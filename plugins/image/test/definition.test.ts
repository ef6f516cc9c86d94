import { formatSchema } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import imagePluginDefault, { imageCapabilities, imageFormats, imagePlugin, inputFormatIds, outputFormatIds } from '../src/index.js';

const properties = (options: Record<string, unknown> | undefined) => Object.keys((options?.properties ?? {}) as Record<string, unknown>);

describe('image plugin definition', () => {
  it('is the default export and the named export, at version 0.1.0', () => {
    expect(imagePluginDefault).toBe(imagePlugin);
    expect(imagePlugin.id).toBe('image');
    expect(imagePlugin.version).toBe('0.1.0');
  });

  it('declares eleven valid image formats: eight it writes, HEIC, HEIF and SVG it only reads', () => {
    expect(imageFormats.map((format) => format.id)).toEqual([...inputFormatIds]);
    expect([...outputFormatIds]).toEqual(['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif', 'bmp', 'ico']);
    expect(inputFormatIds.filter((id) => !(outputFormatIds as readonly string[]).includes(id))).toEqual(['heic', 'heif', 'svg']);
    for (const format of imageFormats) {
      expect(formatSchema.parse(format)).toEqual(format);
      expect(format.category).toBe('image');
    }
  });

  it('offers every input to every other output once, at cost 1: 80 pairs', () => {
    const pairs = imageCapabilities.map((capability) => `${capability.from}->${capability.to}`);
    const expected = inputFormatIds.flatMap((from) => outputFormatIds.filter((to) => to !== from).map((to) => `${from}->${to}`));
    expect(pairs).toHaveLength(80);
    expect(new Set(pairs)).toEqual(new Set(expected));
    expect(imageCapabilities.every((capability) => capability.cost === 1)).toBe(true);
  });

  it('marks conversions lossy exactly when the target is jpeg, webp, avif or gif', () => {
    for (const capability of imageCapabilities) {
      expect(capability.lossy, `${capability.from}->${capability.to}`).toBe(['jpeg', 'webp', 'avif', 'gif'].includes(capability.to));
    }
  });

  it('offers quality where the encoder has one, lossless for WebP and AVIF, density from SVG, resizing everywhere, and nothing else', () => {
    for (const capability of imageCapabilities) {
      const names = properties(capability.options);
      const conversion = `${capability.from}->${capability.to}`;
      // The API refuses what the schema does not name, so a misspelt option is an error rather than ignored.
      expect(capability.options?.additionalProperties, conversion).toBe(false);
      for (const preset of capability.presets ?? []) expect(names, `${conversion} preset ${preset.id}`).toEqual(expect.arrayContaining(Object.keys(preset.params)));
      expect(names, conversion).toEqual(expect.arrayContaining(['width', 'height', 'fit', 'background']));
      expect(names.includes('quality'), conversion).toBe(['jpeg', 'webp', 'avif'].includes(capability.to));
      expect(names.includes('lossless'), conversion).toBe(['webp', 'avif'].includes(capability.to));
      expect(names.includes('density'), conversion).toBe(capability.from === 'svg');
    }
  });

  it('offers web (q 82) and high (q 92) where there is a quality, and lossless wherever the output can be lossless', () => {
    const web = ['web', { quality: 82 }];
    const high = ['high', { quality: 92 }];
    const expected: Record<string, unknown> = {
      jpeg: [web, high],
      webp: [web, high, ['lossless', { lossless: true }]],
      avif: [web, high, ['lossless', { lossless: true }]],
      png: [['lossless', {}]],
      tiff: [['lossless', {}]],
      bmp: [['lossless', {}]],
      ico: [['lossless', {}]],
      gif: undefined,
    };
    for (const capability of imageCapabilities) {
      expect(capability.presets?.map((preset) => [preset.id, preset.params]), `${capability.from}->${capability.to}`).toEqual(expected[capability.to]);
    }
  });

  it('probes sharp successfully here', async () => {
    await expect(imagePlugin.probe?.()).resolves.toEqual({ ok: true });
  });
});
