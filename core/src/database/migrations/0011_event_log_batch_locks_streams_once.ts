import { sql, type Kysely } from 'kysely';
import { appendBatchPerItem } from './0010_event_log_batched_writes.js';

/**
 * A batch of appends locks and bumps each stream's row once, not once per item. Migration
 * 0010's batch called `event_log_append` per item, which locked the stream row again and
 * updated it again for every message: two of an append's five statements, and a new version
 * of the same row each time. The steps and their order are otherwise the same: the stream rows
 * are locked first (in name order, so two batches cannot deadlock), then each item in turn is
 * answered as a duplicate, refused as a conflict, or inserted at the next sequence; a later
 * item sees what an earlier one of the same batch wrote. The rows' new last sequences are
 * written at the end, inside the same statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function event_log_append_batch(p_batch jsonb)
    returns table (batch_position bigint, sequence bigint, outcome text)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_item record;
      v_stream text;
      v_last bigint;
      v_lasts jsonb := '{}';
      v_existing bigint;
      v_subject_last bigint;
      v_expected bigint;
    begin
      for v_stream in select distinct e.value->>'stream' from jsonb_array_elements(p_batch) as e order by 1 loop
        select s.last_sequence into v_last from event_log_streams s where s.stream = v_stream for update;
        if not found then
          raise exception 'event log stream % does not exist: run the migrations', v_stream;
        end if;
        v_lasts := v_lasts || jsonb_build_object(v_stream, v_last);
      end loop;
      for v_item in
        select e.value, e.position from jsonb_array_elements(p_batch) with ordinality as e(value, position) order by e.position
      loop
        v_stream := v_item.value->>'stream';
        select m.sequence into v_existing from event_log_messages m where m.stream = v_stream and m.message_id = v_item.value->>'message_id';
        if found then
          return query select v_item.position, v_existing, 'duplicate'::text;
          continue;
        end if;
        v_expected := (v_item.value->>'expected')::bigint;
        if v_expected is not null then
          select coalesce(max(m.sequence), 0) into v_subject_last from event_log_messages m
            where m.stream = v_stream and m.subject = v_item.value->>'subject';
          if v_subject_last <> v_expected then
            return query select v_item.position, v_subject_last, 'conflict'::text;
            continue;
          end if;
        end if;
        v_last := (v_lasts->>v_stream)::bigint + 1;
        v_lasts := jsonb_set(v_lasts, array[v_stream], to_jsonb(v_last));
        insert into event_log_messages (stream, sequence, subject, message_id, payload)
          values (v_stream, v_last, v_item.value->>'subject', v_item.value->>'message_id', v_item.value->'payload');
        return query select v_item.position, v_last, 'appended'::text;
      end loop;
      update event_log_streams s set last_sequence = (v_lasts->>s.stream)::bigint
        where s.stream in (select jsonb_object_keys(v_lasts)) and s.last_sequence < (v_lasts->>s.stream)::bigint;
    end
    $$;
  `.execute(db);
}

/** Back to migration 0010's batch, an `event_log_append` per item. */
export async function down(db: Kysely<any>): Promise<void> {
  await appendBatchPerItem.execute(db);
}
