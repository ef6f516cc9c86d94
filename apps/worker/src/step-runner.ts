import { PluginError, type ConversionCommand, type ConversionLimits, type ConvertStepTask, type PluginDefinition } from '@conveyor/contracts';
import { conversionAggregate, deriveId, isTerminal, outputBlobKey, type BlobStore, type CommandHandler, type Delivery } from '@conveyor/core';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MetadataStripper } from './metadata-stripper.js';
import { pluginLogger } from './plugin-logger.js';
import { ProgressReporter } from './progress-reporter.js';

export interface StepRunnerSettings {
  workDir: string;
  limits: ConversionLimits;
  /** The task consumer's ack wait; the runner signals "still working" well within it. */
  ackWaitMs: number;
  /** Strips outputs of plugins that do not drop metadata themselves; undefined when no metadata tool runs here. */
  stripMetadata: MetadataStripper | undefined;
}

type Task = ConvertStepTask['data'];

/** Why a plugin's work stopped early, when it was stopped from outside. */
class StepTimeout extends Error {}

/**
 * Runs one conversion step: records its start, fetches the input into a private folder, runs
 * the plugin with a deadline and a heartbeat, stores the output and records the outcome.
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
    const log = this.logger.child({ job_id: task.job_id, org_id: task.org_id, step: task.step_index, plugin: task.plugin });
    const started = await this.decide(task, `start:${delivery.deliveryCount}`, {
      type: 'StartConversionStep',
      data: { step_index: task.step_index, attempt: delivery.deliveryCount },
    });
    if (started.events.length === 0) {
      log.info({ terminal: isTerminal(started.state) }, 'step no longer wanted; skipping');
      return;
    }
    const plugin = this.plugins.get(task.plugin);
    if (!plugin) throw new Error(`plugin ${task.plugin} is not hosted here`);

    const folder = await mkdtemp(join(this.settings.workDir, `${task.job_id}-${task.step_index}-`));
    const heartbeat = setInterval(() => delivery.working(), Math.max(100, Math.floor(this.settings.ackWaitMs / 3)));
    const progress = new ProgressReporter((pct) =>
      this.decide(task, `progress:${delivery.deliveryCount}:${pct}`, {
        type: 'ReportConversionProgress',
        data: { step_index: task.step_index, progress_pct: pct },
      }).then(() => undefined),
    );
    try {
      const inputPath = join(folder, `input.${task.from}`);
      const outputPath = join(folder, `output.${task.to}`);
      await this.blobs.downloadTo(task.input_blob_key, inputPath);
      const additionalInputPaths: string[] = [];
      for (const [index, key] of (task.additional_input_blob_keys ?? []).entries()) {
        const path = join(folder, `input-${index + 2}.${task.from}`);
        await this.blobs.downloadTo(key, path);
        additionalInputPaths.push(path);
      }
      const failure = await this.convert(plugin, task, { inputPath, additionalInputPaths, outputPath }, progress, log);
      await progress.settle();
      if (failure) {
        log.info({ error_code: failure.code, reason: failure.message }, 'step failed');
        await this.decide(task, 'fail', {
          type: 'FailConversionStep',
          data: { step_index: task.step_index, error_code: failure.code, error_message: failure.message },
        });
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
    } finally {
      clearInterval(heartbeat);
      await progress.settle();
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** Runs the plugin; resolves to the failure to record, or undefined on success. */
  private async convert(
    plugin: PluginDefinition,
    task: Task,
    paths: { inputPath: string; additionalInputPaths: string[]; outputPath: string },
    progress: ProgressReporter,
    log: Logger,
  ): Promise<PluginError | undefined> {
    const controller = new AbortController();
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
