import type { PluginDefinition } from '@conveyor/contracts';
import { expect } from 'vitest';
import type { ConformanceSettings } from '../conformance-settings.js';

/** The plugin declares conversions, and its test setup gives a sample for each of their source formats. */
export function checkEverySourceHasASample(plugin: PluginDefinition, settings: ConformanceSettings): void {
  expect(plugin.capabilities.length, `${plugin.id} declares no capabilities`).toBeGreaterThan(0);
  const sources = [...new Set(plugin.capabilities.map((capability) => capability.from))];
  const missing = sources.filter((format) => settings.samples[format] === undefined);
  expect(missing, 'source formats with no sample input: add them to the samples passed to runPluginConformance').toEqual([]);
}
