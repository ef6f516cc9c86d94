import type { ConversionLimits, ScanFileTask, ScannerDefinition } from '@conveyor/contracts';
import { deriveId, fileAggregate, type BlobStore, type CommandHandler, type Delivery } from '@conveyor/core';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { pluginLogger } from './plugin-logger.js';
import { inTaskWorkspace, withTaskDeadline } from './task-workspace.js';

export interface ScanRunnerSettings {
  workDir: string;
  limits: ConversionLimits;
  ackWaitMs: number;
  maxUploadBytes: number;
  maxExpansionRatio: number;
}

/**
 * Scans one uploaded file and records the verdict on the file. A scan that cannot finish (the
 * scanner is unavailable, the blob store fails) throws, so that the task is redelivered; one
 * that fails on every delivery is dead-lettered and the file rejected (fail closed).
 */
export class ScanRunner {
  constructor(
    private readonly commands: CommandHandler,
    private readonly blobs: BlobStore,
    private readonly scanner: ScannerDefinition,
    private readonly settings: ScanRunnerSettings,
    private readonly logger: Logger,
  ) {}

  async run(task: ScanFileTask['data'], delivery: Delivery): Promise<void> {
    const log = this.logger.child({ file_id: task.file_id, org_id: task.org_id, scanner: this.scanner.id });
    // Only a redelivered task is likely to find its verdict recorded: a first delivery starts
    // scanning at once, and the file's events are read meanwhile, for the verdict to be decided on.
    const known = this.commands.stateAt(fileAggregate, task.file_id, 0);
    known.catch(() => undefined); // awaited below; if the read fails, recording the verdict reads again
    if (delivery.deliveryCount > 1) {
      const file = await known;
      if (file.exists && file.scan !== 'pending') return;
    }
    const { limits, maxUploadBytes, maxExpansionRatio } = this.settings;
    const settings = { ...this.settings, timeoutMs: limits.timeoutMs };
    const scan = (inputPath: string, signal: AbortSignal) =>
      this.scanner.scan({
        inputPath,
        format: task.format,
        fileName: task.name,
        size: task.size,
        signal,
        log: pluginLogger(log),
        limits: { ...limits, maxBytes: maxUploadBytes, maxExpansionRatio },
      });
    // The scanner only reads: a blob that is a local file is scanned where it lies, not copied first.
    const storedFile = this.blobs.localFile(task.blob_key);
    const verdict = storedFile
      ? await withTaskDeadline(settings, delivery, (signal) => scan(storedFile, signal))
      : await inTaskWorkspace(settings, `scan-${task.file_id}`, delivery, async (folder, signal) => {
          const inputPath = join(folder, `input.${task.format}`);
          await this.blobs.downloadTo(task.blob_key, inputPath);
          return scan(inputPath, signal);
        });
    log.info({ verdict: verdict.verdict, engine: verdict.engine, reason: verdict.reason }, 'file scanned');
    await known.catch(() => undefined);
    await this.commands.handle(
      fileAggregate,
      { aggregateId: task.file_id, orgId: task.org_id, commandId: deriveId(task.file_id, 'scan-verdict'), correlationId: null },
      { type: 'RecordScanVerdict', data: verdict },
    );
  }
}
