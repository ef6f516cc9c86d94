import { sql, type Kysely } from 'kysely';
import { ConcurrencyConflictError, type AppendRequest, type AppendResult, type StreamKind } from '../port.js';
import type { EventLogTables } from './tables.js';

/**
 * Appends one message through the `event_log_append` function (migration 0003): one
 * statement, atomic on its own, so it needs no transaction of its own and can also ride in a
 * caller's (the dead-letter append rides in the claim that discovered the poison message).
 *
 * Like JetStream, a repeat is answered as a duplicate before any expectation is checked, so a
 * writer retrying an append whose answer it lost gets its sequence, not a conflict.
 */
export async function appendMessage(db: Kysely<EventLogTables>, stream: StreamKind, request: AppendRequest): Promise<AppendResult> {
  const { subject, messageId, expectedLastSubjectSequence } = request;
  const payload = JSON.stringify(request.payload ?? null);
  const expected = expectedLastSubjectSequence ?? null;
  const { rows } = await sql<{ sequence: number | string; outcome: 'appended' | 'duplicate' | 'conflict' }>`
    select sequence, outcome from event_log_append(${stream}, ${subject}, ${messageId}, ${payload}::jsonb, ${expected}::bigint)
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('event_log_append returned nothing');
  if (row.outcome === 'conflict') throw new ConcurrencyConflictError(subject, expectedLastSubjectSequence ?? 0);
  return { sequence: Number(row.sequence), duplicate: row.outcome === 'duplicate' };
}
