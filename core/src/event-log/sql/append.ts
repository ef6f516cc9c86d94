import type { Kysely, Transaction } from 'kysely';
import { ConcurrencyConflictError, type AppendRequest, type AppendResult, type StreamKind } from '../port.js';
import type { EventLogTables } from './tables.js';

/**
 * Appends one message, in its own transaction — or in the caller's, when given a transaction
 * (the dead-letter append rides in the claim that discovered the poison message).
 *
 * Three statements: lock the stream row, check de-duplication and the expected subject
 * sequence, then bump the counter and insert in one statement. Locking first makes the checks
 * exact: every append to the stream waits here, so nobody can slip a message in between the
 * check and the insert. A duplicate or a conflict writes nothing, so it needs no rollback and
 * leaves an enclosing transaction usable.
 */
export async function appendMessage(
  db: Kysely<EventLogTables>,
  stream: StreamKind,
  request: AppendRequest,
): Promise<AppendResult> {
  if (db.isTransaction) return appendWithin(db as Transaction<EventLogTables>, stream, request);
  return db.transaction().execute((trx) => appendWithin(trx, stream, request));
}

async function appendWithin(trx: Transaction<EventLogTables>, stream: StreamKind, request: AppendRequest): Promise<AppendResult> {
  const { subject, messageId, expectedLastSubjectSequence } = request;
  const streamRow = await trx
    .selectFrom('event_log_streams')
    .select('last_sequence')
    .where('stream', '=', stream)
    .forNoKeyUpdate() // enough to serialise appends; foreign-key checks on the row still pass
    .executeTakeFirst();
  if (!streamRow) throw new Error(`event log stream ${stream} does not exist: run the migrations`);

  const checks = await trx
    .selectNoFrom((eb) => [
      eb
        .selectFrom('event_log_messages')
        .select('sequence')
        .where('stream', '=', stream)
        .where('message_id', '=', messageId)
        .as('duplicate_of'),
      expectedLastSubjectSequence === undefined
        ? eb.val(null).as('subject_last')
        : eb
            .selectFrom('event_log_messages')
            .select((inner) => inner.fn.max('sequence').as('last'))
            .where('stream', '=', stream)
            .where('subject', '=', subject)
            .as('subject_last'),
    ])
    .executeTakeFirstOrThrow();

  // Like JetStream: a repeat is answered as a duplicate before any expectation is checked, so a
  // writer retrying an append whose answer it lost gets its sequence, not a conflict.
  if (checks.duplicate_of !== null) return { sequence: Number(checks.duplicate_of), duplicate: true };
  if (expectedLastSubjectSequence !== undefined && Number(checks.subject_last ?? 0) !== expectedLastSubjectSequence) {
    throw new ConcurrencyConflictError(subject, expectedLastSubjectSequence);
  }

  const sequence = streamRow.last_sequence + 1;
  // A data-modifying WITH runs even though the insert does not read it.
  await trx
    .with('bumped', (db) =>
      db.updateTable('event_log_streams').set({ last_sequence: sequence }).where('stream', '=', stream).returning('last_sequence'),
    )
    .insertInto('event_log_messages')
    .values({ stream, sequence, subject, message_id: messageId, payload: JSON.stringify(request.payload ?? null) })
    .execute();
  return { sequence, duplicate: false };
}
