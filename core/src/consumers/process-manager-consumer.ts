import type { EventEnvelope } from '@conveyor/contracts';
import type { Logger } from 'pino';
import type { CommandHandler } from '../aggregates/command-handler.js';
import type { ConsumerHandle, EventLog } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';
import type { ConsumerSettings } from './decider-consumer.js';

/** A process manager: it reacts to events, idempotently, by appending commands and tasks. */
export interface EventReactor {
  react(envelope: EventEnvelope, sequence: number): Promise<void>;
}

/**
 * Feeds every event to each process manager in turn; a failed reaction is retried by redelivery.
 * Each event is first shown to the process managers' command handler, which folds it onto the
 * aggregate state it caches, so the reactions' state reads mostly need no round trip to the log.
 */
export function startProcessManagerConsumer(
  log: EventLog,
  commands: Pick<CommandHandler, 'observe'>,
  processManagers: readonly EventReactor[],
  logger: Logger,
  settings: ConsumerSettings,
): Promise<ConsumerHandle> {
  return log.consume(
    'events',
    { consumer: 'process-manager', subjectFilter: subjects.allEvents, ...settings },
    async ({ message, deliveryCount }) => {
      const envelope = message.payload as EventEnvelope;
      try {
        commands.observe(message);
        for (const processManager of processManagers) await processManager.react(envelope, message.sequence);
      } catch (error) {
        logger.warn({ err: error, event: envelope.type, job_id: envelope.correlation_id, deliveryCount }, 'process manager reaction failed; will retry');
        throw error;
      }
    },
  );
}
