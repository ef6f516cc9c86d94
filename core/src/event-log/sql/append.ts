import { sql, type Kysely } from 'kysely';
import { ConcurrencyConflictError, type AppendRequest, type AppendResult, type StreamKind } from '../port.js';
import type { EventLogTables } from './tables.js';

/** What the database answered for one append; a conflict is an answer, not an error, so that it can be told per item. */
export interface AppendAnswer {
  sequence: number;
  outcome: 'appended' | 'duplicate' | 'conflict';
}

interface AnswerRow {
  sequence: number | string;
  outcome: AppendAnswer['outcome'];
}

/**
 * Appends one message through the `event_log_append` function (migration 0003): one
 * statement, atomic on its own, so it needs no transaction of its own and can also ride in a
 * caller's (the dead-letter append rides in the claim that discovered the poison message).
 *
 * Like JetStream, a repeat is answered as a duplicate before any expectation is checked, so a
 * writer retrying an append whose answer it lost gets its sequence, not a conflict.
 */
export async function appendMessage(db: Kysely<EventLogTables>, stream: StreamKind, request: AppendRequest): Promise<AppendResult> {
  return appendResult(request, await appendOne(db, stream, request));
}

/** The append's result, or the conflict its expectation met. */
export function appendResult(request: AppendRequest, answer: AppendAnswer): AppendResult {
  if (answer.outcome === 'conflict') throw new ConcurrencyConflictError(request.subject, request.expectedLastSubjectSequence ?? 0);
  return { sequence: answer.sequence, duplicate: answer.outcome === 'duplicate' };
}

async function appendOne(db: Kysely<EventLogTables>, stream: StreamKind, request: AppendRequest): Promise<AppendAnswer> {
  const { subject, messageId } = request;
  const payload = JSON.stringify(request.payload ?? null);
  const expected = request.expectedLastSubjectSequence ?? null;
  const { rows } = await sql<AnswerRow>`
    select sequence, outcome from event_log_append(${stream}, ${subject}, ${messageId}, ${payload}::jsonb, ${expected}::bigint)
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('event_log_append returned nothing');
  return { sequence: Number(row.sequence), outcome: row.outcome };
}

export interface StreamAppend {
  stream: StreamKind;
  request: AppendRequest;
}

/** One item's answer, or the error that failed it alone. */
export type BatchedAppendOutcome = { answer: AppendAnswer } | { error: unknown };

/**
 * Appends several messages, in order, in one statement through `event_log_append_batch`
 * (migrations 0010 and 0011); each keeps its own de-duplication and expectation. Should the statement
 * fail, the items are appended one by one, so that one bad item fails alone.
 */
export async function appendBatch(db: Kysely<EventLogTables>, items: readonly StreamAppend[]): Promise<BatchedAppendOutcome[]> {
  if (items.length > 1) {
    try {
      return await appendInOneStatement(db, items);
    } catch {
      // Told apart below, item by item.
    }
  }
  const outcomes: BatchedAppendOutcome[] = [];
  for (const { stream, request } of items) {
    try {
      outcomes.push({ answer: await appendOne(db, stream, request) });
    } catch (error) {
      outcomes.push({ error });
    }
  }
  return outcomes;
}

async function appendInOneStatement(db: Kysely<EventLogTables>, items: readonly StreamAppend[]): Promise<BatchedAppendOutcome[]> {
  const batch = JSON.stringify(
    items.map(({ stream, request }) => ({
      stream,
      subject: request.subject,
      message_id: request.messageId,
      payload: request.payload ?? null,
      expected: request.expectedLastSubjectSequence ?? null,
    })),
  );
  const { rows } = await sql<AnswerRow & { batch_position: number | string }>`
    select batch_position, sequence, outcome from event_log_append_batch(${batch}::jsonb)
  `.execute(db);
  const answers = new Map(rows.map((row) => [Number(row.batch_position), { sequence: Number(row.sequence), outcome: row.outcome }]));
  return items.map((_, index) => {
    const answer = answers.get(index + 1);
    return answer ? { answer } : { error: new Error('event_log_append_batch returned no row for an item') };
  });
}
