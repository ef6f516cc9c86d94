import { sql, type Kysely } from 'kysely';

/**
 * Appending as one server-side function: one round trip instead of five (begin, lock, check,
 * insert, commit), which is most of an append's cost on PGlite, where every statement pays a
 * fixed toll. The steps are the ones append.ts used to send: lock the stream row first so the
 * checks are exact (each statement in a volatile function sees rows committed before it, so
 * the checks run after the lock and see every earlier append), answer a repeated message id as
 * a duplicate before any expectation, refuse a stale expected subject sequence, then insert.
 *
 * Returns (sequence, outcome) with outcome 'appended', 'duplicate' or 'conflict'; a conflict
 * writes nothing and raises nothing, so a caller's enclosing transaction stays usable.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function event_log_append(
      p_stream text, p_subject text, p_message_id text, p_payload jsonb, p_expected bigint
    ) returns table (sequence bigint, outcome text)
    language plpgsql volatile as $$
    declare
      v_last bigint;
      v_existing bigint;
      v_subject_last bigint;
    begin
      select s.last_sequence into v_last from event_log_streams s where s.stream = p_stream for update;
      if not found then
        raise exception 'event log stream % does not exist: run the migrations', p_stream;
      end if;
      select m.sequence into v_existing from event_log_messages m where m.stream = p_stream and m.message_id = p_message_id;
      if found then
        return query select v_existing, 'duplicate'::text;
        return;
      end if;
      if p_expected is not null then
        select coalesce(max(m.sequence), 0) into v_subject_last from event_log_messages m
          where m.stream = p_stream and m.subject = p_subject;
        if v_subject_last <> p_expected then
          return query select v_subject_last, 'conflict'::text;
          return;
        end if;
      end if;
      update event_log_streams s set last_sequence = v_last + 1 where s.stream = p_stream;
      insert into event_log_messages (stream, sequence, subject, message_id, payload)
        values (p_stream, v_last + 1, p_subject, p_message_id, p_payload);
      return query select v_last + 1, 'appended'::text;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function event_log_append(text, text, text, jsonb, bigint)`.execute(db);
}
