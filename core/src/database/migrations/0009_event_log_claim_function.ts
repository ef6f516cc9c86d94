import { sql, type Kysely } from 'kysely';
import { subjectFilterPattern } from '../../event-log/sql/subject-filter.js';

/**
 * Claiming as one server-side function: one round trip instead of eight (the idle check,
 * begin, lock the position, admit, move the position, pick, lease, commit). A claim runs for
 * every handful of messages each consumer takes, so on PGlite, where every statement pays a
 * fixed toll, these round trips were the largest share of the database's time per job.
 *
 * The consumer row keeps its filter as the regular expression the admission matches with
 * (computed where the filter's rules live, subject-filter.ts), so the function needs no copy
 * of those rules.
 *
 * The steps are the ones consumer-claims.ts used to send. First the idle poll's question,
 * which neither locks nor writes; then admission, by one member at a time (the others skip it
 * instead of waiting); then the oldest available deliveries are locked, skipping those other
 * members hold, and leased for the ack wait. Candidates that used up their deliveries are
 * returned as exhausted, untouched: the caller removes and dead-letters them in one
 * transaction. A last row without a sequence says that admission stopped at its batch limit.
 *
 * Exported for migration 0013, whose down brings this definition back.
 */
export const claimFunction = sql`
    create or replace function event_log_claim(
      p_stream text, p_consumer text, p_limit integer, p_ack_wait_ms double precision, p_max_deliver integer, p_admission_batch bigint
    ) returns table (sequence bigint, subject text, payload jsonb, stored_at timestamptz, delivery_count integer, exhausted boolean)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_admitted bigint;
      v_last bigint;
      v_pattern text;
      v_through bigint;
    begin
      select c.admitted_through, s.last_sequence into v_admitted, v_last
        from event_log_consumers c join event_log_streams s on s.stream = c.stream
        where c.stream = p_stream and c.name = p_consumer;
      if not found then
        return;
      end if;
      if v_admitted >= v_last and not exists (
        select 1 from event_log_deliveries d
        where d.stream = p_stream and d.consumer = p_consumer and d.available_at <= now()
      ) then
        return;
      end if;

      select c.admitted_through, c.subject_pattern, s.last_sequence into v_admitted, v_pattern, v_last
        from event_log_consumers c join event_log_streams s on s.stream = c.stream
        where c.stream = p_stream and c.name = p_consumer
        for no key update of c skip locked;
      if found and v_admitted < v_last then
        -- Stream sequences are contiguous, so a sequence range bounds how many rows are examined.
        v_through := least(v_last, v_admitted + p_admission_batch);
        insert into event_log_deliveries (stream, consumer, sequence)
          select p_stream, p_consumer, m.sequence from event_log_messages m
          where m.stream = p_stream and m.sequence > v_admitted and m.sequence <= v_through and m.subject ~ v_pattern
          on conflict do nothing;
        update event_log_consumers c set admitted_through = v_through where c.stream = p_stream and c.name = p_consumer;
      end if;

      return query
        with candidates as (
          select d.sequence, d.delivery_count from event_log_deliveries d
          where d.stream = p_stream and d.consumer = p_consumer and d.available_at <= now()
          order by d.sequence
          limit p_limit
          for update skip locked
        ), leased as (
          update event_log_deliveries d
            set delivery_count = d.delivery_count + 1, available_at = now() + p_ack_wait_ms * interval '1 millisecond'
            from candidates c
            where d.stream = p_stream and d.consumer = p_consumer and d.sequence = c.sequence and c.delivery_count < p_max_deliver
            returning d.sequence, d.delivery_count
        )
        select m.sequence, m.subject, m.payload, m.stored_at, l.delivery_count, false
          from leased l join event_log_messages m on m.stream = p_stream and m.sequence = l.sequence
        union all
        select c.sequence, null, null, null, c.delivery_count, true
          from candidates c where c.delivery_count >= p_max_deliver
        union all
        select null, null, null, null, null, null
          where v_through is not null and v_through < v_last;
    end
    $$
  `;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event_log_consumers').addColumn('subject_pattern', 'text').execute();
  const consumers = await db.selectFrom('event_log_consumers').select(['stream', 'name', 'subject_filter']).execute();
  for (const consumer of consumers) {
    await db
      .updateTable('event_log_consumers')
      .set({ subject_pattern: subjectFilterPattern(consumer.subject_filter) })
      .where('stream', '=', consumer.stream)
      .where('name', '=', consumer.name)
      .execute();
  }
  await db.schema.alterTable('event_log_consumers').alterColumn('subject_pattern', (column) => column.setNotNull()).execute();

  await claimFunction.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function event_log_claim(text, text, integer, double precision, integer, bigint)`.execute(db);
  await db.schema.alterTable('event_log_consumers').dropColumn('subject_pattern').execute();
}
