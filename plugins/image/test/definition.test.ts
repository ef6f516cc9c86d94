import { formatSchema } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import imagePluginDefault, { imageCapabilities, imageFormatIds, imageFormats, imagePlugin } from '../src/index.js';

describe('image plugin definition', () => {
  it('is the default export and the named export', () => {
    expect(imagePluginDefault).toBe(imagePlugin);
    expect(imagePlugin.id).toBe('image');
  });

  it('declares six valid image formats', () => {
    expect(imageFormats.map((format) => format.id)).toEqual([...imageFormatIds]);
    for (const format of imageFormats) {
      expect(formatSchema.parse(format)).toEqual(format);
      expect(format.category).toBe('image');
    }
  });

  it('offers every ordered pair of distinct formats once, at cost 1', () => {
    const pairs = imageCapabilities.map((capability) => `${capability.from}->${capability.to}`);
    expect(new Set(pairs).size).toBe(30);
    expect(pairs).toHaveLength(30);
    expect(imageCapabilities.every((capability) => capability.from !== capability.to && capability.cost === 1)).toBe(true);
  });

  it('marks conversions lossy exactly when the target is jpeg, webp, avif or gif', () => {
    for (const capability of imageCapabilities) {
      expect(capability.lossy, `${capability.from}->${capability.to}`).toBe(['jpeg', 'webp', 'avif', 'gif'].includes(capability.to));
    }
  });

  it('offers quality and the web/high presets only where the target encoder has a quality', () => {
    for (const capability of imageCapabilities) {
      const hasQuality = ['jpeg', 'webp', 'avif'].includes(capability.to);
      const properties = (capability.options?.properties ?? {}) as Record<string, unknown>;
      expect('quality' in properties).toBe(hasQuality);
      expect(Object.keys(properties)).toEqual(expect.arrayContaining(['width', 'height', 'fit']));
      expect(capability.presets?.map((preset) => [preset.id, preset.params])).toEqual(
        hasQuality ? [['web', { quality: 82 }], ['high', { quality: 92 }]] : undefined,
      );
    }
  });

  it('probes sharp successfully here', async () => {
    await expect(imagePlugin.probe?.()).resolves.toEqual({ ok: true });
  });
});
