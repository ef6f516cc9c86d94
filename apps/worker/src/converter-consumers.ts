import { ConvertStep, type PluginDefinition } from '@conveyor/contracts';
import { subjects, type ConsumerHandle, type EventLog } from '@conveyor/core';
import type { Logger } from 'pino';
import type { ConversionStepRunner } from './step-runner.js';

export interface ConverterConsumerSettings {
  ackWaitMs: number;
  maxDeliver: number;
  concurrency: number;
}

/** One task consumer per hosted plugin; workers hosting the same plugin share its tasks. */
export async function startConverterConsumers(
  log: EventLog,
  plugins: readonly PluginDefinition[],
  runner: ConversionStepRunner,
  logger: Logger,
  settings: ConverterConsumerSettings,
): Promise<ConsumerHandle[]> {
  return Promise.all(
    plugins.map((plugin) =>
      log.consume(
        'tasks',
        { consumer: `convert-${plugin.id}`, subjectFilter: subjects.convertTask(plugin.id), ...settings },
        async (delivery) => {
          const task = ConvertStep.schema.safeParse((delivery.message.payload as { data?: unknown }).data);
          if (!task.success) {
            logger.error({ sequence: delivery.message.sequence, issues: task.error.issues }, 'dropping malformed task');
            return;
          }
          await runner.run(task.data, delivery);
        },
      ),
    ),
  );
}
