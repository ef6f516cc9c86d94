import { PluginError, type FileCommand, type InspectMetadataTask, type MetadataToolDefinition } from '@conveyor/contracts';
import { deriveId, fileAggregate, type BlobStore, type CommandHandler, type Delivery, type ExistingFile } from '@conveyor/core';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { pluginLogger } from './plugin-logger.js';
import { inTaskWorkspace, TaskTimeout } from './task-workspace.js';

export interface MetadataRunnerSettings {
  workDir: string;
  timeoutMs: number;
  ackWaitMs: number;
}

type Task = InspectMetadataTask['data'];

/**
 * Reads a file version's metadata, or rewrites it, with the metadata tool, and records the
 * outcome on the file. A file the tool cannot make sense of has no metadata to show (probe)
 * or fails the write with the tool's code; anything else throws, for redelivery.
 */
export class MetadataRunner {
  constructor(
    private readonly commands: CommandHandler,
    private readonly blobs: BlobStore,
    private readonly tool: MetadataToolDefinition,
    private readonly settings: MetadataRunnerSettings,
    private readonly logger: Logger,
  ) {}

  async run(task: Task, delivery: Delivery): Promise<void> {
    const state = await this.commands.stateAt(fileAggregate, task.file_id, 0);
    if (!state.exists) throw new Error(`file ${task.file_id} is not recorded yet`);
    if (task.write) await this.write(task, task.write, state, delivery);
    else if (state.probedVersion < task.version) await this.probe(task, delivery);
  }

  private async probe(task: Task, delivery: Delivery): Promise<void> {
    const log = this.logger.child({ file_id: task.file_id, version: task.version });
    const report = await inTaskWorkspace(this.settings, `probe-${task.file_id}`, delivery, async (folder, signal) => {
      const inputPath = join(folder, `input.${task.format}`);
      await this.blobs.downloadTo(task.blob_key, inputPath);
      try {
        return await this.tool.read({ inputPath, format: task.format, signal, log: pluginLogger(log) });
      } catch (error) {
        if (error instanceof PluginError && error.code === 'invalid_input') {
          log.info({ reason: error.message }, 'no metadata readable');
          return null;
        }
        throw error;
      }
    });
    await this.record(task, `probe:v${task.version}`, { type: 'RecordMetadataProbe', data: { version: task.version, report } });
  }

  private async write(task: Task, write: NonNullable<Task['write']>, file: ExistingFile, delivery: Delivery): Promise<void> {
    if (file.writes[write.request_id]?.status !== 'requested') return;
    const log = this.logger.child({ file_id: task.file_id, request_id: write.request_id });
    const outcome = await inTaskWorkspace(this.settings, `write-${task.file_id}`, delivery, async (folder, signal) => {
      const inputPath = join(folder, `input.${task.format}`);
      const outputPath = join(folder, `output.${task.format}`);
      await this.blobs.downloadTo(task.blob_key, inputPath);
      try {
        await this.tool.write({ inputPath, outputPath, format: task.format, edit: write.edit, signal, log: pluginLogger(log) });
      } catch (error) {
        if (signal.reason instanceof TaskTimeout) return new PluginError('timeout', `the metadata write ${signal.reason.message}`);
        if (error instanceof PluginError) return error;
        throw error;
      }
      return this.blobs.writeFile(write.output_blob_key, outputPath);
    });
    if (outcome instanceof PluginError) {
      log.info({ error_code: outcome.code, reason: outcome.message }, 'metadata write failed');
      await this.record(task, `write-failed:${write.request_id}`, {
        type: 'FailMetadataWrite',
        data: { request_id: write.request_id, error_code: outcome.code, error_message: outcome.message },
      });
      return;
    }
    const blob = { blob_key: write.output_blob_key, size: outcome.size, sha256: outcome.sha256, format: file.blob.format, mime: file.blob.mime };
    await this.record(task, `write-done:${write.request_id}`, { type: 'CompleteMetadataWrite', data: { request_id: write.request_id, blob } });
  }

  private record(task: Task, purpose: string, command: FileCommand) {
    return this.commands.handle(
      fileAggregate,
      { aggregateId: task.file_id, orgId: task.org_id, commandId: deriveId(task.file_id, purpose), correlationId: null },
      command,
    );
  }
}
