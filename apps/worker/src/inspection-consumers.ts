import { InspectMetadata, ScanFile } from '@conveyor/contracts';
import { subjects, type ConsumerHandle, type EventLog } from '@conveyor/core';
import type { Logger } from 'pino';
import type { ConverterConsumerSettings } from './converter-consumers.js';
import type { MetadataRunner } from './metadata-runner.js';
import type { ScanRunner } from './scan-runner.js';

/** The scanner's task consumer (`task.scan`); every worker hosts it, sharing the tasks. */
export function startScanConsumer(log: EventLog, runner: ScanRunner, logger: Logger, settings: ConverterConsumerSettings): Promise<ConsumerHandle> {
  return log.consume('tasks', { consumer: 'scan', subjectFilter: subjects.scanTask, ...settings }, async (delivery) => {
    const task = ScanFile.schema.safeParse((delivery.message.payload as { data?: unknown }).data);
    if (!task.success) {
      logger.error({ sequence: delivery.message.sequence, issues: task.error.issues }, 'dropping malformed scan task');
      return;
    }
    await runner.run(task.data, delivery);
  });
}

/** The metadata tool's task consumer (`task.metadata`): probes and rewrites. */
export function startMetadataConsumer(log: EventLog, runner: MetadataRunner, logger: Logger, settings: ConverterConsumerSettings): Promise<ConsumerHandle> {
  return log.consume('tasks', { consumer: 'metadata', subjectFilter: subjects.metadataTask, ...settings }, async (delivery) => {
    const task = InspectMetadata.schema.safeParse((delivery.message.payload as { data?: unknown }).data);
    if (!task.success) {
      logger.error({ sequence: delivery.message.sequence, issues: task.error.issues }, 'dropping malformed metadata task');
      return;
    }
    await runner.run(task.data, delivery);
  });
}
