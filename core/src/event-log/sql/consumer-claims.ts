import { sql, type Kysely, type Transaction } from 'kysely';
import type { StoredMessage, StreamKind } from '../port.js';
import { toStoredMessage } from './messages.js';
import { subjectFilterPattern } from './subject-filter.js';
import type { EventLogTables } from './tables.js';

/**
 * The durable-consumer bookkeeping in SQL. A consumer row remembers how far its stream has been
 * examined; each matching message gets a delivery row that lives until it is acked. Members
 * claim delivery rows with `FOR UPDATE SKIP LOCKED`, so members in different processes share
 * the work without waiting on each other, and the lease (available_at) says when an unacked
 * claim may be taken again.
 */

export interface ConsumerKey {
  stream: StreamKind;
  consumer: string;
}

export interface ClaimedDelivery {
  message: StoredMessage;
  deliveryCount: number;
}

/** A message that used up its deliveries; the claim removed it and hands it over to be dead-lettered. */
export interface ExhaustedDelivery {
  sequence: number;
  subject: string;
  deliveries: number;
}

export interface ClaimRequest extends ConsumerKey {
  limit: number;
  ackWaitMs: number;
  maxDeliver: number;
  /** Acks that ride along: these deliveries are deleted before the claim, in the same statement. */
  acked?: readonly number[];
}

/** How many stream messages one claim examines for the consumer's filter, at most. */
const admissionBatch = 1_000;

/** Creates the consumer on first use; a later member with another filter moves it to the new one. */
export async function registerConsumer(db: Kysely<EventLogTables>, key: ConsumerKey, subjectFilter: string): Promise<void> {
  const filter = { subject_filter: subjectFilter, subject_pattern: subjectFilterPattern(subjectFilter) };
  await db
    .insertInto('event_log_consumers')
    .values({ stream: key.stream, name: key.consumer, ...filter })
    .onConflict((conflict) => conflict.columns(['stream', 'name']).doUpdateSet(filter))
    .execute();
}

/**
 * Claims up to `limit` messages for one member through the `event_log_claim` function
 * (migration 0009), one statement — `event_log_ack_and_claim` (migration 0010) when acks ride
 * along: admits new stream messages first, then leases the oldest available deliveries for ackWait. Deliveries that were already delivered `maxDeliver` times
 * are not delivered again but removed and returned as exhausted, in a transaction of their own
 * in which the caller dead-letters them (`deadLetter`); a delivery another member removed first
 * is not returned, so each exhausted message is dead-lettered once.
 */
export async function claimDeliveries(
  db: Kysely<EventLogTables>,
  request: ClaimRequest,
  deadLetter: (trx: Transaction<EventLogTables>, exhausted: ExhaustedDelivery[]) => Promise<void>,
): Promise<{ claimed: ClaimedDelivery[]; exhausted: ExhaustedDelivery[]; moreToAdmit: boolean }> {
  const { stream, consumer, limit, ackWaitMs, maxDeliver, acked = [] } = request;
  const { rows } = await (acked.length === 0
    ? sql<ClaimRow>`
        select sequence, subject, payload, stored_at, delivery_count, exhausted
        from event_log_claim(${stream}, ${consumer}, ${limit}::integer, ${ackWaitMs}::double precision, ${maxDeliver}::integer,
          ${admissionBatch}::bigint)
      `
    : sql<ClaimRow>`
        select sequence, subject, payload, stored_at, delivery_count, exhausted
        from event_log_ack_and_claim(${stream}, ${consumer}, ${sql.val([...acked])}::bigint[], ${limit}::integer,
          ${ackWaitMs}::double precision, ${maxDeliver}::integer, ${admissionBatch}::bigint)
      `
  ).execute(db);
  const claimed: ClaimedDelivery[] = [];
  const exhaustedSequences: number[] = [];
  let moreToAdmit = false;
  for (const row of rows) {
    if (row.sequence === null) moreToAdmit = true;
    else if (row.exhausted) exhaustedSequences.push(Number(row.sequence));
    else {
      const message = { sequence: Number(row.sequence), subject: row.subject!, payload: row.payload, stored_at: row.stored_at! };
      claimed.push({ message: toStoredMessage(request.stream, message), deliveryCount: row.delivery_count! });
    }
  }
  claimed.sort((a, b) => a.message.sequence - b.message.sequence);
  const exhausted =
    exhaustedSequences.length === 0
      ? []
      : await db.transaction().execute(async (trx) => {
          const removed = await removeExhausted(trx, request, exhaustedSequences);
          if (removed.length > 0) await deadLetter(trx, removed);
          return removed;
        });
  return { claimed, exhausted, moreToAdmit };
}

/** A row of `event_log_claim`: a claimed message, an exhausted delivery, or (no sequence) "admission stopped at its batch". */
interface ClaimRow {
  sequence: number | string | null;
  subject: string | null;
  payload: unknown;
  stored_at: Date | null;
  delivery_count: number | null;
  exhausted: boolean | null;
}

async function removeExhausted(trx: Transaction<EventLogTables>, key: ConsumerKey, sequences: number[]): Promise<ExhaustedDelivery[]> {
  const rows = await trx
    .deleteFrom('event_log_deliveries as d')
    .using('event_log_messages as m')
    .whereRef('m.stream', '=', 'd.stream')
    .whereRef('m.sequence', '=', 'd.sequence')
    .where('d.stream', '=', key.stream)
    .where('d.consumer', '=', key.consumer)
    .where('d.sequence', 'in', sequences)
    .returning(['d.sequence', 'm.subject', 'd.delivery_count'])
    .execute();
  return rows.map((row) => ({ sequence: row.sequence, subject: row.subject, deliveries: row.delivery_count }));
}

/** Ack: the messages are done for this consumer, whichever delivery finished each. One statement for many. */
export async function ackDeliveries(db: Kysely<EventLogTables>, key: ConsumerKey, sequences: number[]): Promise<void> {
  await db
    .deleteFrom('event_log_deliveries')
    .where('stream', '=', key.stream)
    .where('consumer', '=', key.consumer)
    .where('sequence', 'in', sequences)
    .execute();
}

/**
 * Moves the delivery's deadline to `delayMs` from now: later for `working()`, sooner for a
 * handler that failed. Only while the delivery is still the member's own — a delivery that
 * has since been redelivered (higher count) belongs to its new holder.
 */
export async function moveDeadline(
  db: Kysely<EventLogTables>,
  key: ConsumerKey,
  delivery: { sequence: number; deliveryCount: number },
  delayMs: number,
): Promise<void> {
  await db
    .updateTable('event_log_deliveries')
    .set({ available_at: leaseEnd(delayMs) })
    .where('stream', '=', key.stream)
    .where('consumer', '=', key.consumer)
    .where('sequence', '=', delivery.sequence)
    .where('delivery_count', '=', delivery.deliveryCount)
    .execute();
}

// The database clock decides leases, so members on machines with skewed clocks agree.
function leaseEnd(delayMs: number) {
  return sql<Date>`now() + ${delayMs}::double precision * interval '1 millisecond'`;
}
