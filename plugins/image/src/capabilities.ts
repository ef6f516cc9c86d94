import type { PluginCapability, PluginPreset } from '@conveyor/contracts';
import { imageFormatIds, traitsOf, type ImageFormatId } from './formats.js';
import { imageOptionsSchema } from './options.js';

/** Presets only set quality, so they are offered where the target encoder has one. */
const qualityPresets: PluginPreset[] = [
  { id: 'web', label: 'Web: smaller files, good quality', params: { quality: 82 } },
  { id: 'high', label: 'High: larger files, close to the original', params: { quality: 92 } },
];

function capability(from: ImageFormatId, to: ImageFormatId): PluginCapability {
  const target = traitsOf(to);
  return {
    from,
    to,
    cost: 1,
    lossy: target.lossy,
    options: imageOptionsSchema(target.hasQuality),
    ...(target.hasQuality ? { presets: qualityPresets } : {}),
  };
}

/** Every ordered pair of distinct image formats: sharp decodes and encodes all of them. */
export const imageCapabilities: PluginCapability[] = imageFormatIds.flatMap((from) =>
  imageFormatIds.filter((to) => to !== from).map((to) => capability(from, to)),
);
