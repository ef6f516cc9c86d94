import type { PluginCapability, PluginDefinition } from '@conveyor/contracts';
import { expect } from 'vitest';
import { sampleFor, type ConformanceSettings } from '../conformance-settings.js';
import { JobFolder } from '../job-folder.js';
import { outcomeBy, outcomeOf } from '../outcomes.js';
import { recordedContext } from '../recorded-context.js';
import { expectPluginError } from './plugin-error.js';
import { expectWellFormedProgress } from './progress.js';
import { expectNothingWritten } from './writes.js';

/**
 * How long the folder is watched after a cancelled conversion has stopped: the host removes
 * the job folder as soon as the plugin rejects, so work the plugin lets run on in the background
 * must not write, rename or remove anything there afterwards.
 */
const lateWriteWatchMs = 200;

/**
 * A job cancelled or timed out before its step started: the plugin rejects with a PluginError
 * within `abortWithinMs`, having written nothing (no output to clean up later, either).
 */
export async function checkStopsWhenAbortedBeforeStart(plugin: PluginDefinition, capability: PluginCapability, settings: ConformanceSettings): Promise<void> {
  const conversion = `${plugin.id} ${capability.from} → ${capability.to} with an already-aborted signal`;
  const folder = await JobFolder.create(capability.from, capability.to, await sampleFor(capability.from, settings));
  try {
    const before = await folder.snapshot();
    const signal = AbortSignal.abort(new Error('cancelled by the conformance suite before the conversion started'));
    const run = recordedContext(folder, capability, { signal, limits: settings.limits });
    await folder.withTemporaryDirectory(async () => {
      const outcome = await outcomeBy(outcomeOf(() => plugin.convert(run.ctx)), performance.now() + settings.abortWithinMs);
      expectPluginError(outcome, conversion, settings.abortWithinMs);
      expectNothingWritten(before, await folder.snapshot(), conversion);
    });
    expectWellFormedProgress(run.progress, conversion);
  } finally {
    await folder.remove();
  }
}

/**
 * A job cancelled while its step runs. The signal is aborted at the plugin's first progress
 * report below 100, the one moment the suite knows the work has begun: the plugin must then
 * reject with a PluginError within `abortWithinMs`, with no output left at that moment (the
 * host removes the job folder then) and nothing touched in the folder afterwards.
 * A plugin that reports no progress before finishing gives no such moment, and fails:
 * progress is how a long step shows it is alive, and a cue to check the signal.
 */
export async function checkStopsWhenAbortedMidway(plugin: PluginDefinition, capability: PluginCapability, settings: ConformanceSettings): Promise<void> {
  const conversion = `${plugin.id} ${capability.from} → ${capability.to} aborted mid-way`;
  const folder = await JobFolder.create(capability.from, capability.to, await sampleFor(capability.from, settings));
  try {
    const before = await folder.snapshot();
    const controller = new AbortController();
    let abortedAt: number | undefined;
    const aborted = new Promise<'aborted'>((resolve) => controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
    const run = recordedContext(folder, capability, {
      signal: controller.signal,
      limits: settings.limits,
      onProgress: (percent) => {
        if (abortedAt !== undefined || !(percent < 100)) return;
        abortedAt = performance.now();
        controller.abort(new Error('cancelled by the conformance suite mid-way'));
      },
    });
    await folder.withTemporaryDirectory(async () => {
      const conversionOutcome = outcomeOf(() => plugin.convert(run.ctx));
      const first = await Promise.race([aborted, conversionOutcome]);
      if (first !== 'aborted') {
        expect.unreachable(
          `${conversion}: ended (${first.state}) without reporting progress below 100 (it reported: ${run.progress.join(', ') || 'nothing'}), ` +
            'so it could not be aborted mid-way; report progress as the work proceeds and check ctx.signal between pieces of work',
        );
      }
      const outcome = await outcomeBy(conversionOutcome, abortedAt! + settings.abortWithinMs);
      const watch = folder.watchChanges();
      let lateChanges: string[];
      try {
        expectPluginError(outcome, conversion, settings.abortWithinMs);
        expectNothingWritten(before, await folder.snapshot(), conversion);
        await new Promise((resolve) => setTimeout(resolve, lateWriteWatchMs));
      } finally {
        lateChanges = watch.stop();
      }
      expect(lateChanges, `${conversion}: the folder changed after the plugin had stopped (work left running in the background?)`).toEqual([]);
      expectNothingWritten(before, await folder.snapshot(), conversion);
    });
    expectWellFormedProgress(run.progress, conversion);
  } finally {
    await folder.remove();
  }
}
