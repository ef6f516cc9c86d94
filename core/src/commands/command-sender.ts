import type { CommandEnvelope } from '@conveyor/contracts';
import type { EventLog } from '../event-log/port.js';
import { subjects } from '../event-log/subjects.js';

/** Appends commands to the command stream; the decider consumer takes it from there. */
export class CommandSender {
  constructor(private readonly log: EventLog) {}

  async send(command: CommandEnvelope): Promise<void> {
    await this.log.append('commands', {
      subject: subjects.command(command.aggregate, command.aggregate_id),
      messageId: command.id,
      payload: command,
    });
  }
}
