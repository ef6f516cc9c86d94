import { sql, type Kysely } from 'kysely';

/** The batch as this migration defines it, an `event_log_append` per item; 0011's down restores it. */
export const appendBatchPerItem = sql`
    create or replace function event_log_append_batch(p_batch jsonb)
    returns table (batch_position bigint, sequence bigint, outcome text)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_item record;
    begin
      for v_item in
        select e.value, e.position from jsonb_array_elements(p_batch) with ordinality as e(value, position) order by e.position
      loop
        return query
          select v_item.position, a.sequence, a.outcome
          from event_log_append(
            v_item.value->>'stream', v_item.value->>'subject', v_item.value->>'message_id', v_item.value->'payload',
            (v_item.value->>'expected')::bigint
          ) as a;
      end loop;
    end
    $$
  `;

/**
 * Appends and acks that ride together in one statement. On PGlite every statement pays a fixed
 * toll several times what an append's own work costs, and under load the all-in-one process
 * spent most of its database thread on those tolls; the event log now sends the appends that
 * meet in time as one batch, and a member's acks with its next claim.
 *
 * `event_log_append_batch` takes a JSON array of `{stream, subject, message_id, payload,
 * expected}` and appends each in order through `event_log_append` (migration 0003), so every
 * item keeps its own de-duplication and expectation; it answers one (position, sequence,
 * outcome) row per item, position counting from 1. The batch is one statement: an item that
 * raises (a stream that does not exist) fails the whole batch, and the caller retries its
 * items one by one.
 *
 * `event_log_ack_and_claim` deletes the acked deliveries, then claims through
 * `event_log_claim` (migration 0009), answering its rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await appendBatchPerItem.execute(db);

  await sql`
    create function event_log_ack_and_claim(
      p_stream text, p_consumer text, p_acked bigint[], p_limit integer, p_ack_wait_ms double precision, p_max_deliver integer,
      p_admission_batch bigint
    ) returns table (sequence bigint, subject text, payload jsonb, stored_at timestamptz, delivery_count integer, exhausted boolean)
    language plpgsql volatile as $$
    #variable_conflict use_column
    begin
      if cardinality(p_acked) > 0 then
        delete from event_log_deliveries d where d.stream = p_stream and d.consumer = p_consumer and d.sequence = any(p_acked);
      end if;
      return query select * from event_log_claim(p_stream, p_consumer, p_limit, p_ack_wait_ms, p_max_deliver, p_admission_batch);
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function event_log_ack_and_claim(text, text, bigint[], integer, double precision, integer, bigint)`.execute(db);
  await sql`drop function event_log_append_batch(jsonb)`.execute(db);
}
