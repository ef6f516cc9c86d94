import type { EventEnvelope } from '@conveyor/contracts';
import type { Logger } from 'pino';
import type { ConsumerHandle, EventLog } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';
import type { ConversionProcessManager } from '../process-manager/conversion-process-manager.js';
import type { ConsumerSettings } from './decider-consumer.js';

/** Feeds every event to the process manager; a failed reaction is retried by redelivery. */
export function startProcessManagerConsumer(
  log: EventLog,
  processManager: ConversionProcessManager,
  logger: Logger,
  settings: ConsumerSettings,
): Promise<ConsumerHandle> {
  return log.consume(
    'events',
    { consumer: 'process-manager', subjectFilter: subjects.allEvents, ...settings },
    async ({ message, deliveryCount }) => {
      const envelope = message.payload as EventEnvelope;
      try {
        await processManager.react(envelope, message.sequence);
      } catch (error) {
        logger.warn({ err: error, event: envelope.type, job_id: envelope.correlation_id, deliveryCount }, 'process manager reaction failed; will retry');
        throw error;
      }
    },
  );
}
