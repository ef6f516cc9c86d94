import { MessageDeadLettered, type EventEnvelope, type MessageOf } from '@conveyor/contracts';
import type { AppendRequest, StreamKind } from './port.js';
import { subjects } from './subjects.js';

export type DeadLetterData = MessageOf<typeof MessageDeadLettered>['data'];

export interface DeadLetterInput {
  /** Id of the new event (from the id generator). */
  eventId: string;
  stream: StreamKind;
  consumer: string;
  subject: string;
  sequence: number;
  /** How many times the message was delivered without being acked. */
  deliveries: number;
  deadLetteredAt: Date;
}

/**
 * The append that parks a poison message: a `MessageDeadLettered` event on the events stream,
 * under the `system/dead-letter` aggregate. Both event-log adapters build it here.
 *
 * The de-duplication id is derived from the stream, consumer and sequence — not from `eventId` —
 * so that two members racing to dead-letter the same message store one event.
 */
export function deadLetterAppend(input: DeadLetterInput): AppendRequest {
  const aggregateId = 'dead-letter';
  const data: DeadLetterData = {
    stream: input.stream,
    consumer: input.consumer,
    subject: input.subject,
    sequence: input.sequence,
    deliveries: input.deliveries,
    dead_lettered_at: input.deadLetteredAt.toISOString(),
  };
  const envelope: EventEnvelope<DeadLetterData> = {
    id: input.eventId,
    type: MessageDeadLettered.type,
    version: MessageDeadLettered.version,
    aggregate: 'system',
    aggregate_id: aggregateId,
    org_id: 'system',
    occurred_at: data.dead_lettered_at,
    causation_id: null,
    correlation_id: null,
    data,
  };
  return {
    subject: subjects.event('system', aggregateId),
    messageId: `dead-letter.${input.stream}.${input.consumer}.${input.sequence}`,
    payload: envelope,
  };
}
