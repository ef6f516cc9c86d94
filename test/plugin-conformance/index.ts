/**
 * The plugin conformance suite: what the host relies on from every plugin, first-party or
 * third-party. Call `runPluginConformance` from a vitest test file; it registers the tests.
 *
 * @example
 * // plugins/my-plugin/test/conformance.test.ts
 * runPluginConformance(myPlugin, { samples: { png: () => readFile(samplePng) } });
 */
import type { PluginDefinition } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { checkStopsWhenAbortedBeforeStart, checkStopsWhenAbortedMidway } from './checks/cancellation.js';
import { checkConvertsSample } from './checks/conversion.js';
import { checkRefusesCorruptInput } from './checks/corrupt-input.js';
import { checkProbe, expectRunnableHere } from './checks/probe.js';
import { checkEverySourceHasASample } from './checks/samples.js';
import { conformanceSettings, type PluginConformanceOptions } from './conformance-settings.js';

export { defaultLimits } from './conformance-settings.js';
export { conversionContext, type RecordedContext } from './recorded-context.js';
export type { ConvertedOutput, CorruptSample, PluginConformanceOptions } from './conformance-settings.js';

export function runPluginConformance(plugin: PluginDefinition, options: PluginConformanceOptions): void {
  const settings = conformanceSettings(plugin, options);
  // The checks point the process's temporary directory into their job folder: never run two at once.
  describe.sequential(`${plugin.id} plugin conformance`, () => {
    it('probe answers { ok: true } or { ok: false, reason }', () => checkProbe(plugin));
    it('has a sample input for every format it converts from', () => checkEverySourceHasASample(plugin, settings));

    for (const capability of plugin.capabilities) {
      describe(`${capability.from} → ${capability.to}`, () => {
        it('converts the sample, writing only outputPath, reporting progress within 0–100 that never goes back', async () => {
          await expectRunnableHere(plugin);
          await checkConvertsSample(plugin, capability, settings);
        });
        it('rejects with a PluginError at once, writing nothing, when the signal is already aborted', async () => {
          await expectRunnableHere(plugin);
          await checkStopsWhenAbortedBeforeStart(plugin, capability, settings);
        });
        it('rejects with a PluginError promptly, leaving no output, when aborted mid-way', async () => {
          await expectRunnableHere(plugin);
          await checkStopsWhenAbortedMidway(plugin, capability, settings);
        });
      });
    }

    it('ends a corrupt input in a PluginError, leaving no output', async () => {
      await expectRunnableHere(plugin);
      await checkRefusesCorruptInput(plugin, settings);
    });
  });
}
