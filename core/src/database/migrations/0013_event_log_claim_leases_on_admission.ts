import { sql, type Kysely } from 'kysely';
import { claimFunction } from './0009_event_log_claim_function.js';

/**
 * A claim admits and leases in one statement. Migration 0009's claim inserted each newly
 * admitted message as an available delivery, moved the position, then picked available
 * deliveries and leased them: three statements and two writes of every delivery row. On
 * PGlite each statement a function runs costs about as much as a round trip, and a busy
 * consumer claims for every few messages, so that was the largest share of the database's
 * time per job.
 *
 * Now, after the same idle check and the same one-member-at-a-time lock on the position, one
 * statement leases the oldest available deliveries, inserts the newly admitted messages —
 * those that fit in what is left of the limit already leased, the rest available — and moves
 * the position. A member that finds the position locked by another, or nothing to admit,
 * runs the same statement over an empty admission range. The rows answered are the same as
 * before: leased messages, exhausted candidates, and a last row without a sequence when
 * admission stopped at its batch limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
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
      v_locked bigint;
      v_lease_end timestamptz := now() + p_ack_wait_ms * interval '1 millisecond';
    begin
      select c.admitted_through, c.subject_pattern, s.last_sequence into v_admitted, v_pattern, v_last
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

      -- Admission is one member's at a time; the others lease over an empty range instead of waiting.
      v_through := v_admitted;
      if v_admitted < v_last then
        select c.admitted_through into v_locked
          from event_log_consumers c
          where c.stream = p_stream and c.name = p_consumer
          for no key update of c skip locked;
        if found then
          v_admitted := v_locked;
          -- Stream sequences are contiguous, so a sequence range bounds how many rows are examined.
          v_through := greatest(v_locked, least(v_last, v_locked + p_admission_batch));
        end if;
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
            set delivery_count = d.delivery_count + 1, available_at = v_lease_end
            from candidates c
            where d.stream = p_stream and d.consumer = p_consumer and d.sequence = c.sequence and c.delivery_count < p_max_deliver
            returning d.sequence, d.delivery_count
        ), fresh as (
          select m.sequence, m.subject, m.payload, m.stored_at,
            row_number() over (order by m.sequence) <= p_limit - (select count(*) from candidates) as taken
          from event_log_messages m
          where m.stream = p_stream and m.sequence > v_admitted and m.sequence <= v_through and m.subject ~ v_pattern
        ), admitted as (
          insert into event_log_deliveries (stream, consumer, sequence, delivery_count, available_at)
            select p_stream, p_consumer, f.sequence, case when f.taken then 1 else 0 end, case when f.taken then v_lease_end else now() end
            from fresh f
            on conflict do nothing
            returning sequence, delivery_count
        ), moved as (
          update event_log_consumers c set admitted_through = v_through
            where c.stream = p_stream and c.name = p_consumer and v_through > v_admitted
        )
        select m.sequence, m.subject, m.payload, m.stored_at, l.delivery_count, false
          from leased l join event_log_messages m on m.stream = p_stream and m.sequence = l.sequence
        union all
        select f.sequence, f.subject, f.payload, f.stored_at, a.delivery_count, false
          from admitted a join fresh f on f.sequence = a.sequence
          where a.delivery_count = 1
        union all
        select c.sequence, null, null, null, c.delivery_count, true
          from candidates c where c.delivery_count >= p_max_deliver
        union all
        select null, null, null, null, null, null
          where v_through < v_last and v_through > v_admitted;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await claimFunction.execute(db);
}
