import { PluginError, type ConversionCommand, type ConversionLimits, type ConvertStepTask, type PluginDefinition } from '@conveyor/contracts';
import { conversionAggregate, deriveId, isTerminal, outputBlobKey, type BlobStore, type CommandHandler, type Delivery } from '@conveyor/core';
import { mkdtemp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MetadataStripper } from './metadata-stripper.js';
import { pluginLogger } from './plugin-logger.js';
import { ProgressReporter } from './progress-reporter.js';
import type { StepRecorder } from './step-metrics.js';
import { removeWorkFolder } from './task-workspace.js';

export interface StepRunnerSettings {
  workDir: string;
  limits: ConversionLimits;
  /** The task consumer's ack wait; the runner signals "still working" well within it. */
  ackWaitMs: number;
  /** Strips outputs of plugins that do not drop metadata themselves; undefined when no metadata tool runs here. */
  stripMetadata: MetadataStripper | undefined;
  /** How often a running step looks whether its job has ended (cancelled), to stop the plugin. */
  jobWatchMs?: number;
  /** Told how each step ended (completed or failed) and how long it took; undefined: nothing is measured. */
  recordStep?: StepRecorder;
}

/** A cancelled job's plugin is stopped within about this long, at the cost of one read of the job's new events per step. */
const defaultJobWatchMs = 1000;

type Task = ConvertStepTask['data'];

/** Why a plugin's work stopped early, when it was stopped from outside: it ran out of time... */
class StepTimeout extends Error {}
/** ...or the step turned out not to be wanted while it ran. */
class StepNotWanted extends Error {}

/**
 * Runs one conversion step: records its start while it fetches the input into a private
 * folder and runs the plugin with a deadline and a heartbeat, then stores the output and
 * records the outcome.
 *
 * What the plugin throws is the conversion's failure (a PluginError keeps its code). What
 * fails around it (blob store, event log) is thrown on, so that the task is redelivered and
 * the step runs again; its output key is fixed, so a half-written output is overwritten.
 */
export class ConversionStepRunner {
  constructor(
    private readonly commands: CommandHandler,
    private readonly blobs: BlobStore,
    private readonly plugins: ReadonlyMap<string, PluginDefinition>,
    private readonly mimeOf: (format: string) => string,
    private readonly settings: StepRunnerSettings,
    private readonly logger: Logger,
  ) {}

  async run(task: Task, delivery: Delivery): Promise<void> {
    const began = performance.now();
    const log = this.logger.child({ job_id: task.job_id, org_id: task.org_id, step: task.step_index, plugin: task.plugin });
    const plugin = this.plugins.get(task.plugin);
    if (!plugin) throw new Error(`plugin ${task.plugin} is not hosted here`);

    // The start is recorded while the input is fetched and the plugin runs: waiting for it first
    // put a write to the event log in front of every conversion. Nothing else about the step is
    // recorded before its start; a step that turns out not to be wanted (its job ended) is
    // stopped, and what it made is discarded with its folder.
    const starting = this.decide(task, `start:${delivery.deliveryCount}`, {
      type: 'StartConversionStep',
      data: { step_index: task.step_index, attempt: delivery.deliveryCount },
    });
    const wanted = starting.then((started) => started.events.length > 0);
    wanted.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled

    const folder = await mkdtemp(join(this.settings.workDir, `${task.job_id}-${task.step_index}-`));
    const heartbeat = setInterval(() => delivery.working(), Math.max(100, Math.floor(this.settings.ackWaitMs / 3)));
    const stop = new AbortController();
    // A cancel (or any end of the job) while the plugin runs stops it, rather than letting it
    // finish work whose result the job would refuse.
    const jobWatch = setInterval(() => {
      this.commands.stateAt(conversionAggregate, task.job_id, Number.POSITIVE_INFINITY).then(
        (state) => {
          if (isTerminal(state)) stop.abort(new StepNotWanted(`the job ended (${state.phase}) while the step ran`));
        },
        () => undefined, // the next look tries again; the step itself does not depend on it
      );
    }, this.settings.jobWatchMs ?? defaultJobWatchMs);
    const progress = new ProgressReporter(async (pct) => {
      if (!(await wanted)) return;
      await this.decide(task, `progress:${delivery.deliveryCount}:${pct}`, {
        type: 'ReportConversionProgress',
        data: { step_index: task.step_index, progress_pct: pct },
      });
    });
    try {
      const converting = this.fetchAndConvert(plugin, task, folder, stop, progress, log);
      converting.catch(() => undefined); // awaited below, once the start is known
      let started: Awaited<typeof starting>;
      try {
        started = await starting;
      } catch (error) {
        stop.abort(new StepNotWanted('its start could not be recorded'));
        await converting.catch(() => undefined);
        throw error;
      }
      if (started.events.length === 0) {
        stop.abort(new StepNotWanted('the step is no longer wanted'));
        await converting.catch(() => undefined);
        log.info({ terminal: isTerminal(started.state) }, 'step no longer wanted; skipped');
        return;
      }
      let converted: Awaited<typeof converting>;
      try {
        converted = await converting;
      } catch (error) {
        if (!(error instanceof StepNotWanted)) throw error;
        log.info({ reason: error.message }, 'step stopped');
        return;
      }
      const { failure, outputPath } = converted;
      await progress.settle();
      if (failure) {
        log.info({ error_code: failure.code, reason: failure.message }, 'step failed');
        await this.decide(task, 'fail', {
          type: 'FailConversionStep',
          data: { step_index: task.step_index, error_code: failure.code, error_message: failure.message },
        });
        this.settings.recordStep?.(task, 'failed', (performance.now() - began) / 1000);
        return;
      }
      const key = outputBlobKey(task.org_id, task.job_id, task.step_index);
      const stored = await this.blobs.writeFile(key, outputPath);
      await this.decide(task, 'complete', {
        type: 'CompleteConversionStep',
        data: {
          step_index: task.step_index,
          output: { blob_key: key, size: stored.size, sha256: stored.sha256, format: task.to, mime: this.mimeOf(task.to) },
        },
      });
      this.settings.recordStep?.(task, 'completed', (performance.now() - began) / 1000);
    } finally {
      clearInterval(heartbeat);
      clearInterval(jobWatch);
      await progress.settle();
      const { inputPath, additionalInputPaths, outputPath } = stepFiles(folder, task);
      await removeWorkFolder(folder, [inputPath, ...additionalInputPaths, outputPath]);
    }
  }

  /** Fetches the step's inputs into `folder` and runs the plugin on them; resolves to the failure to record, if any. */
  private async fetchAndConvert(plugin: PluginDefinition, task: Task, folder: string, stop: AbortController, progress: ProgressReporter, log: Logger) {
    const { inputPath, additionalInputPaths, outputPath } = stepFiles(folder, task);
    await this.blobs.downloadTo(task.input_blob_key, inputPath);
    for (const [index, key] of (task.additional_input_blob_keys ?? []).entries()) await this.blobs.downloadTo(key, additionalInputPaths[index]!);
    stop.signal.throwIfAborted();
    const failure = await this.convert(plugin, task, { inputPath, additionalInputPaths, outputPath }, stop, progress, log);
    return { failure, outputPath };
  }

  /** Runs the plugin; resolves to the failure to record, or undefined on success. */
  private async convert(
    plugin: PluginDefinition,
    task: Task,
    paths: { inputPath: string; additionalInputPaths: string[]; outputPath: string },
    controller: AbortController,
    progress: ProgressReporter,
    log: Logger,
  ): Promise<PluginError | undefined> {
    const deadline = setTimeout(() => controller.abort(new StepTimeout('step timed out')), this.settings.limits.timeoutMs);
    try {
      const { inputPath, additionalInputPaths, outputPath } = paths;
      // preserve_metadata belongs to the host unless the plugin honours it itself.
      const { preserve_metadata: preserveMetadata, ...converterOptions } = task.options;
      await plugin.convert({
        inputPath,
        ...(additionalInputPaths.length > 0 ? { additionalInputPaths } : {}),
        outputPath,
        from: task.from,
        to: task.to,
        options: plugin.handlesMetadata ? task.options : converterOptions,
        signal: controller.signal,
        progress: (pct) => progress.report(pct),
        log: pluginLogger(log),
        limits: this.settings.limits,
      });
      const written = await stat(outputPath).catch(() => undefined);
      if (!written?.isFile()) return new PluginError('conversion_failed', `${plugin.id} wrote no output`);
      if (!plugin.handlesMetadata && preserveMetadata !== true) await this.settings.stripMetadata?.(outputPath, task.to, controller.signal, pluginLogger(log));
      return undefined;
    } catch (error) {
      if (controller.signal.reason instanceof StepNotWanted) throw controller.signal.reason;
      if (controller.signal.reason instanceof StepTimeout) {
        return new PluginError('timeout', `conversion took longer than ${this.settings.limits.timeoutMs} ms`);
      }
      if (error instanceof PluginError) return error;
      log.warn({ err: error }, 'plugin threw an unexpected error');
      return new PluginError('conversion_failed', (error as Error)?.message ?? String(error));
    } finally {
      clearTimeout(deadline);
    }
  }

  private decide(task: Task, purpose: string, command: ConversionCommand) {
    return this.commands.handle(
      conversionAggregate,
      {
        aggregateId: task.job_id,
        orgId: task.org_id,
        // A retried job's rerun decides anew: its ids must differ from the failed run's.
        commandId: deriveId(task.job_id, `${task.retry === undefined ? '' : `retry-${task.retry}:`}step-${task.step_index}:${purpose}`),
        correlationId: task.job_id,
      },
      command,
    );
  }
}

/** Where a step's inputs are fetched to and where its plugin writes the output, in the step's folder. */
function stepFiles(folder: string, task: Task) {
  return {
    inputPath: join(folder, `input.${task.from}`),
    additionalInputPaths: (task.additional_input_blob_keys ?? []).map((_, index) => join(folder, `input-${index + 2}.${task.from}`)),
    outputPath: join(folder, `output.${task.to}`),
  };
}
