import type { PluginDefinition } from '@conveyor/contracts';
import { expect } from 'vitest';
import type { ConformanceSettings } from '../conformance-settings.js';
import { JobFolder } from '../job-folder.js';
import { outcomeBy, outcomeOf } from '../outcomes.js';
import { recordedContext } from '../recorded-context.js';
import { expectPluginError } from './plugin-error.js';
import { expectWellFormedProgress } from './progress.js';
import { expectNothingWritten } from './writes.js';

/** How long a plugin may take to notice that its input is corrupt; a hang is a failure too. */
const refuseWithinMs = 20_000;

/**
 * A corrupt input ends in a PluginError (so the job fails with the plugin's code, not
 * `conversion_failed`), with no output left and the input unchanged.
 */
export async function checkRefusesCorruptInput(plugin: PluginDefinition, settings: ConformanceSettings): Promise<void> {
  const corrupt = settings.corruptSample;
  if (!corrupt) return expect.unreachable(`${plugin.id} declares no capabilities, so there is nothing to give a corrupt input to`);
  const capability = plugin.capabilities.find((candidate) => candidate.from === corrupt.from);
  if (!capability) return expect.unreachable(`the corrupt sample is ${corrupt.from}, which no capability of ${plugin.id} converts from`);
  const conversion = `${plugin.id} ${capability.from} → ${capability.to} on a corrupt input`;
  const folder = await JobFolder.create(capability.from, capability.to, await corrupt.bytes());
  try {
    const before = await folder.snapshot();
    const run = recordedContext(folder, capability, { signal: new AbortController().signal, limits: settings.limits });
    await folder.withTemporaryDirectory(async () => {
      const outcome = await outcomeBy(outcomeOf(() => plugin.convert(run.ctx)), performance.now() + refuseWithinMs);
      expectPluginError(outcome, conversion, refuseWithinMs);
      expectNothingWritten(before, await folder.snapshot(), conversion);
    });
    expectWellFormedProgress(run.progress, conversion);
  } finally {
    await folder.remove();
  }
}
