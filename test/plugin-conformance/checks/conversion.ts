import type { PluginCapability, PluginDefinition } from '@conveyor/contracts';
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { sampleFor, type ConformanceSettings } from '../conformance-settings.js';
import { JobFolder } from '../job-folder.js';
import { describeError, outcomeOf } from '../outcomes.js';
import { recordedContext } from '../recorded-context.js';
import { expectRecognisedAs } from './output-format.js';
import { expectWellFormedProgress } from './progress.js';
import { expectOnlyOutputWritten } from './writes.js';

/**
 * Converts the sample of `capability.from` as the worker would: the output exists, looks like
 * `capability.to` and passes the plugin's own `verifyOutput`; only `outputPath` was written;
 * the input is unchanged; progress was reported, within 0–100 and never backwards.
 */
export async function checkConvertsSample(plugin: PluginDefinition, capability: PluginCapability, settings: ConformanceSettings): Promise<void> {
  const conversion = `${plugin.id} ${capability.from} → ${capability.to}`;
  const folder = await JobFolder.create(capability.from, capability.to, await sampleFor(capability.from, settings));
  try {
    const before = await folder.snapshot();
    const run = recordedContext(folder, capability, { signal: new AbortController().signal, limits: settings.limits });
    const outcome = await folder.withTemporaryDirectory(() => outcomeOf(() => plugin.convert(run.ctx)));
    if (outcome.state === 'rejected') expect.unreachable(`${conversion}: failed on its sample input: ${describeError(outcome.error)}`);

    expectOnlyOutputWritten(before, await folder.snapshot(), folder, conversion);
    const output = await readFile(folder.outputPath);
    expect(output.length, `${conversion}: the output is empty`).toBeGreaterThan(0);
    expectRecognisedAs(output, capability.to, plugin.formats ?? [], conversion);
    await settings.verifyOutput({ from: capability.from, to: capability.to, bytes: output });

    expect(run.progress.length, `${conversion}: reported no progress`).toBeGreaterThan(0);
    expectWellFormedProgress(run.progress, conversion);
  } finally {
    await folder.remove();
  }
}
