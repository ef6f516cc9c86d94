import type { ConversionLimits, ConvertContext, PluginCapability } from '@conveyor/contracts';
import { defaultLimits } from './conformance-settings.js';
import type { JobFolder } from './job-folder.js';

export interface RecordedContext {
  ctx: ConvertContext;
  /** Every value the plugin passed to `ctx.progress`, in order, unclamped. */
  progress: number[];
}

/**
 * The context the worker would give the plugin for `capability` in `folder`, recording
 * progress as reported (the worker clamps it; the suite wants to see what the plugin said).
 */
export function recordedContext(
  folder: JobFolder,
  capability: PluginCapability,
  settings: { signal: AbortSignal; limits: ConversionLimits; onProgress?: (percent: number) => void },
): RecordedContext {
  const progress: number[] = [];
  const quiet = () => undefined;
  const ctx: ConvertContext = {
    inputPath: folder.inputPath,
    outputPath: folder.outputPath,
    from: capability.from,
    to: capability.to,
    options: {},
    signal: settings.signal,
    progress: (percent) => {
      progress.push(percent);
      settings.onProgress?.(percent);
    },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    limits: settings.limits,
  };
  return { ctx, progress };
}

/** A ConvertContext with the suite's limits and a silent logger, for a plugin's own tests; `overrides` replace any field. */
export function conversionContext(overrides: Partial<ConvertContext> & Pick<ConvertContext, 'inputPath' | 'outputPath' | 'from' | 'to'>): RecordedContext {
  const progress: number[] = [];
  const quiet = () => undefined;
  const ctx: ConvertContext = {
    options: {},
    signal: new AbortController().signal,
    progress: (percent) => progress.push(percent),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    limits: defaultLimits,
    ...overrides,
  };
  return { ctx, progress };
}
