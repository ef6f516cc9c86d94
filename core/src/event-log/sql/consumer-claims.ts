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
}

/** How many stream messages one claim examines for the consumer's filter, at most. */
const admissionBatch = 1_000;

/** Creates the consumer on first use; a later member with another filter moves it to the new one. */
export async function registerConsumer(db: Kysely<EventLogTables>, key: ConsumerKey, subjectFilter: string): Promise<void> {
  await db
    .insertInto('event_log_consumers')
    .values({ stream: key.stream, name: key.consumer, subject_filter: subjectFilter })
    .onConflict((conflict) => conflict.columns(['stream', 'name']).doUpdateSet({ subject_filter: subjectFilter }))
    .execute();
}

/**
 * One cheap statement outside any transaction: is there anything to claim? Idle members ask
 * this on every poll, so it must not lock or write.
 */
export async function hasClaimableWork(db: Kysely<EventLogTables>, key: ConsumerKey): Promise<boolean> {
  const row = await db
    .selectFrom('event_log_consumers as c')
    .innerJoin('event_log_streams as s', 's.stream', 'c.stream')
    .select((eb) => [
      eb('c.admitted_through', '<', eb.ref('s.last_sequence')).as('behind'),
      eb
        .exists(
          eb
            .selectFrom('event_log_deliveries as d')
            .select(eb.lit(1).as('one'))
            .whereRef('d.stream', '=', 'c.stream')
            .whereRef('d.consumer', '=', 'c.name')
            .where('d.available_at', '<=', sql<Date>`now()`),
        )
        .as('due'),
    ])
    .where('c.stream', '=', key.stream)
    .where('c.name', '=', key.consumer)
    .executeTakeFirst();
  return Boolean(row?.behind || row?.due);
}

/**
 * Claims up to `limit` messages for one member, in one transaction: admits new stream messages
 * first, then leases the oldest available deliveries for ackWait. Deliveries that were already
 * delivered `maxDeliver` times are not delivered again but removed and returned as exhausted,
 * for the caller to dead-letter inside the same transaction (`deadLetter`).
 */
export async function claimDeliveries(
  db: Kysely<EventLogTables>,
  request: ClaimRequest,
  deadLetter: (trx: Transaction<EventLogTables>, exhausted: ExhaustedDelivery[]) => Promise<void>,
): Promise<{ claimed: ClaimedDelivery[]; exhausted: ExhaustedDelivery[]; moreToAdmit: boolean }> {
  return db.transaction().execute(async (trx) => {
    const moreToAdmit = await admitNewMessages(trx, request);

    const candidates = await trx
      .selectFrom('event_log_deliveries')
      .select(['sequence', 'delivery_count'])
      .where('stream', '=', request.stream)
      .where('consumer', '=', request.consumer)
      .where('available_at', '<=', sql<Date>`now()`)
      .orderBy('sequence')
      .limit(request.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const exhaustedSequences = candidates.filter((c) => c.delivery_count >= request.maxDeliver).map((c) => c.sequence);
    const deliverableSequences = candidates.filter((c) => c.delivery_count < request.maxDeliver).map((c) => c.sequence);

    const claimed = deliverableSequences.length === 0 ? [] : await leaseDeliveries(trx, request, deliverableSequences);
    const exhausted = exhaustedSequences.length === 0 ? [] : await removeExhausted(trx, request, exhaustedSequences);
    if (exhausted.length > 0) await deadLetter(trx, exhausted);
    return { claimed, exhausted, moreToAdmit };
  });
}

/**
 * Moves the consumer's position forward over messages appended since the last admission,
 * giving each one that matches the filter a delivery row. Only one member admits at a time
 * (the consumer row is locked); the others skip this step instead of waiting for it.
 * Answers whether messages beyond this admission's batch are still waiting to be examined.
 */
async function admitNewMessages(trx: Transaction<EventLogTables>, key: ConsumerKey): Promise<boolean> {
  const position = await trx
    .selectFrom('event_log_consumers as c')
    .innerJoin('event_log_streams as s', 's.stream', 'c.stream')
    .select(['c.admitted_through', 'c.subject_filter', 's.last_sequence'])
    .where('c.stream', '=', key.stream)
    .where('c.name', '=', key.consumer)
    .forNoKeyUpdate('c')
    .skipLocked()
    .executeTakeFirst();
  if (!position || position.admitted_through >= position.last_sequence) return false;

  // Stream sequences are contiguous, so a sequence range bounds how many rows are examined.
  const through = Math.min(position.last_sequence, position.admitted_through + admissionBatch);
  await trx
    .insertInto('event_log_deliveries')
    .columns(['stream', 'consumer', 'sequence'])
    .expression((eb) =>
      eb
        .selectFrom('event_log_messages')
        .select([eb.val(key.stream).as('stream'), eb.val(key.consumer).as('consumer'), 'sequence'])
        .where('stream', '=', key.stream)
        .where('sequence', '>', position.admitted_through)
        .where('sequence', '<=', through)
        .where('subject', '~', subjectFilterPattern(position.subject_filter)),
    )
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  await trx
    .updateTable('event_log_consumers')
    .set({ admitted_through: through })
    .where('stream', '=', key.stream)
    .where('name', '=', key.consumer)
    .execute();
  return through < position.last_sequence;
}

async function leaseDeliveries(trx: Transaction<EventLogTables>, request: ClaimRequest, sequences: number[]): Promise<ClaimedDelivery[]> {
  const rows = await trx
    .updateTable('event_log_deliveries as d')
    .from('event_log_messages as m')
    .set((eb) => ({
      delivery_count: eb('d.delivery_count', '+', 1),
      available_at: leaseEnd(request.ackWaitMs),
    }))
    .whereRef('m.stream', '=', 'd.stream')
    .whereRef('m.sequence', '=', 'd.sequence')
    .where('d.stream', '=', request.stream)
    .where('d.consumer', '=', request.consumer)
    .where('d.sequence', 'in', sequences)
    .returning(['m.sequence', 'm.subject', 'm.payload', 'm.stored_at', 'd.delivery_count'])
    .execute();
  return rows
    .sort((a, b) => a.sequence - b.sequence)
    .map((row) => ({ message: toStoredMessage(request.stream, row), deliveryCount: row.delivery_count }));
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
