import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * One row per stream. Its `last_sequence` is both the sequence counter and the append lock:
 * bumping it row-locks the stream until commit, so sequences are handed out in commit order and
 * a reader that has seen sequence n has seen every sequence below n (a global bigserial would let
 * a slow transaction commit 10 after a fast one committed 11, and followers would skip 10).
 */
export interface EventLogStreamsTable {
  stream: string;
  last_sequence: ColumnType<number, number | undefined, number>;
}

export interface EventLogMessagesTable {
  stream: string;
  /** Per-stream, contiguous, from 1 — like a JetStream stream sequence. */
  sequence: number;
  subject: string;
  /** De-duplication id, unique per stream. */
  message_id: string;
  /** JSON text on the way in (the caller serialises); parsed JSON on the way out. */
  payload: ColumnType<unknown, string, never>;
  stored_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A durable consumer: a name on a stream, shared by every member that consumes with it. */
export interface EventLogConsumersTable {
  stream: string;
  name: string;
  subject_filter: string;
  /** The filter as the anchored regular expression admission matches subjects with. */
  subject_pattern: string;
  /** Every message up to here has been examined and, if it matched, given a delivery row. */
  admitted_through: ColumnType<number, number | undefined, number>;
}

/** A matching message a consumer has not acked yet; acking deletes the row. */
export interface EventLogDeliveriesTable {
  stream: string;
  consumer: string;
  sequence: number;
  delivery_count: ColumnType<number, number | undefined, number>;
  /** Claimable from this time: now for new messages, the ack deadline while a member holds it. */
  available_at: Timestamp;
}

export interface EventLogTables {
  event_log_streams: EventLogStreamsTable;
  event_log_messages: EventLogMessagesTable;
  event_log_consumers: EventLogConsumersTable;
  event_log_deliveries: EventLogDeliveriesTable;
}
