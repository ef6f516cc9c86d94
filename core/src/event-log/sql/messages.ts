import type { Kysely, Selectable } from 'kysely';
import type { StoredMessage, StreamKind } from '../port.js';
import type { EventLogMessagesTable, EventLogTables } from './tables.js';

type MessageRow = Pick<Selectable<EventLogMessagesTable>, 'sequence' | 'subject' | 'payload' | 'stored_at'>;

export function toStoredMessage(stream: StreamKind, row: MessageRow): StoredMessage {
  return { stream, sequence: row.sequence, subject: row.subject, payload: row.payload, storedAt: row.stored_at.toISOString() };
}

/** Messages of one stream after a position, in sequence order; optionally of one subject only. */
export async function readMessages(
  db: Kysely<EventLogTables>,
  stream: StreamKind,
  query: { afterSequence: number; subject?: string; limit?: number },
): Promise<StoredMessage[]> {
  let select = db
    .selectFrom('event_log_messages')
    .select(['sequence', 'subject', 'payload', 'stored_at'])
    .where('stream', '=', stream)
    .where('sequence', '>', query.afterSequence)
    .orderBy('sequence');
  if (query.subject !== undefined) select = select.where('subject', '=', query.subject);
  if (query.limit !== undefined) select = select.limit(query.limit);
  const rows = await select.execute();
  return rows.map((row) => toStoredMessage(stream, row));
}
