import { commandEnvelopeSchema, parseCommandData, type ConversionCommand, type FileCommand, type ResourceCommand } from '@conveyor/contracts';
import type { Logger } from 'pino';
import { conversionAggregate, fileAggregate, resourceAggregate } from '../aggregates/aggregate-types.js';
import type { CommandHandler, CommandMeta } from '../aggregates/command-handler.js';
import { CommandRejectedError } from '../deciders/decider.js';
import type { ConsumerHandle, EventLog } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';

export interface ConsumerSettings {
  ackWaitMs: number;
  maxDeliver: number;
  concurrency: number;
}

/**
 * Takes commands off the command stream and runs each through its aggregate's decider. A
 * command that is malformed or refused is logged and dropped: retrying cannot change the answer.
 */
export function startDeciderConsumer(
  log: EventLog,
  commands: CommandHandler,
  logger: Logger,
  settings: ConsumerSettings,
): Promise<ConsumerHandle> {
  return log.consume(
    'commands',
    { consumer: 'deciders', subjectFilter: subjects.allCommands, ...settings },
    async ({ message }) => {
      const parsed = commandEnvelopeSchema.safeParse(message.payload);
      if (!parsed.success) {
        logger.error({ sequence: message.sequence, issues: parsed.error.issues }, 'dropping malformed command');
        return;
      }
      const envelope = parsed.data;
      const meta: CommandMeta = {
        aggregateId: envelope.aggregate_id,
        orgId: envelope.org_id,
        commandId: envelope.id,
        correlationId: envelope.correlation_id,
      };
      try {
        const command = parseCommandData(envelope.type, envelope.data);
        if (envelope.aggregate === 'file') await commands.handle(fileAggregate, meta, command as FileCommand);
        else if (envelope.aggregate === 'conversion') await commands.handle(conversionAggregate, meta, command as ConversionCommand);
        else if (envelope.aggregate === 'resource') await commands.handle(resourceAggregate, meta, command as ResourceCommand);
        else logger.error({ type: envelope.type, aggregate: envelope.aggregate }, 'dropping command for an aggregate without a decider');
      } catch (error) {
        if (error instanceof CommandRejectedError || (error as Error).name === 'ZodError') {
          logger.warn({ command: envelope.type, id: envelope.id, job_id: envelope.correlation_id, reason: (error as Error).message }, 'command rejected');
          return;
        }
        throw error;
      }
    },
  );
}
