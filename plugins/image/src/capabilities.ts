import type { PluginCapability, PluginPreset } from '@conveyor/contracts';
import { inputFormatIds, traitsOf, type InputFormatId, type OutputFormatId, outputFormatIds } from './formats.js';
import { imageOptionsSchema } from './options.js';

const webPreset: PluginPreset = { id: 'web', label: 'Web: smaller files, good quality', params: { quality: 82 } };
const highPreset: PluginPreset = { id: 'high', label: 'High: larger files, close to the original', params: { quality: 92 } };
const losslessModePreset: PluginPreset = { id: 'lossless', label: 'Lossless: every pixel kept exactly', params: { lossless: true } };
/** PNG, TIFF, BMP and ICO keep every pixel whatever the options: the preset exists so the planner sees that. */
const naturallyLosslessPreset: PluginPreset = { id: 'lossless', label: 'Lossless: every pixel kept exactly (always, for this format)', params: {} };

/**
 * The presets that mean something for `to`. The planner runs intermediate hops with a
 * capability's `lossless` preset when it has one, else `high`: JPEG has no lossless mode, so
 * it offers web and high only. GIF offers none: its palette quantization has no quality knob,
 * and it is never lossless beyond 256 colours.
 */
export function presetsFor(to: OutputFormatId): PluginPreset[] | undefined {
  const target = traitsOf(to);
  if (target.hasQuality) return target.hasLosslessMode ? [webPreset, highPreset, losslessModePreset] : [webPreset, highPreset];
  return target.lossy ? undefined : [naturallyLosslessPreset];
}

function capability(from: InputFormatId, to: OutputFormatId): PluginCapability {
  const presets = presetsFor(to);
  return {
    from,
    to,
    cost: 1,
    lossy: traitsOf(to).lossy,
    options: imageOptionsSchema(from, to),
    ...(presets ? { presets } : {}),
  };
}

/** Every input format to every output format other than itself. */
export const imageCapabilities: PluginCapability[] = inputFormatIds.flatMap((from) =>
  outputFormatIds.filter((to) => to !== from).map((to) => capability(from, to)),
);
