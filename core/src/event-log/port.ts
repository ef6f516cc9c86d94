/**
 * The event log: an append-only, sequenced log split into three streams (commands, events,
 * tasks). Two adapters implement it — NATS JetStream and SQL tables through kysely — and
 * both pass the contract suite in core/test/event-log/contract.ts.
 *
 * Subjects are logical (`evt.conversion.<id>`, `cmd.file.<id>`, `task.convert.image`); an
 * adapter may namespace them physically (JetStream prefixes them so that several deployments
 * or test runs can share one server).
 */
export const streamKinds = ['commands', 'events', 'tasks'] as const;
export type StreamKind = (typeof streamKinds)[number];

export interface AppendRequest {
  subject: string;
  /** De-duplication id: appending the same id to the same stream twice stores it once. */
  messageId: string;
  /** JSON-serialisable payload. */
  payload: unknown;
  /**
   * Optimistic concurrency: the stream sequence of the last message on `subject` that the
   * writer has seen, 0 when it expects the subject to be empty. Omitted: no check.
   */
  expectedLastSubjectSequence?: number;
}

export interface AppendResult {
  sequence: number;
  /** True when `messageId` had been appended before; `sequence` is then the original one. */
  duplicate: boolean;
}

export interface StoredMessage {
  stream: StreamKind;
  sequence: number;
  subject: string;
  payload: unknown;
  /** When the log stored it (ISO 8601). */
  storedAt: string;
  /**
   * The sequence of the message before it on the same subject (0: it was the first), where the
   * log knows it. The JetStream log knows it for a delivered message appended with
   * `expectedLastSubjectSequence` (every event); the SQL log does not say. A reader that holds a
   * subject's state as of this sequence can fold the message on without reading the subject.
   */
  previousSubjectSequence?: number;
}

/** Thrown when `expectedLastSubjectSequence` does not match the subject's last sequence. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly subject: string,
    readonly expected: number,
  ) {
    super(`subject ${subject} moved past expected sequence ${expected}`);
    this.name = 'ConcurrencyConflictError';
  }
}

export interface ConsumeOptions {
  /** Durable name. Members that consume with the same name share the messages: each goes to one. */
  consumer: string;
  /** Exact subject, or a prefix ending in `>` (`task.convert.>`). */
  subjectFilter: string;
  /** A delivered message not acked (or marked working) within this time is redelivered. */
  ackWaitMs: number;
  /** After this many deliveries without an ack, the message is dead-lettered and stops. */
  maxDeliver: number;
  /** How many messages this member handles at once. */
  concurrency: number;
}

export interface Delivery {
  message: StoredMessage;
  /** 1 on first delivery. */
  deliveryCount: number;
  /** Extends the ack deadline by another ackWait: the handler is still working. */
  working(): void;
}

/**
 * Handles one delivery. Resolving acks it; throwing (or rejecting) leaves it to be
 * redelivered after a back-off, until maxDeliver is reached.
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface ConsumerHandle {
  /** Stops fetching, waits for in-flight handlers to settle, releases the consumer. */
  stop(): Promise<void>;
}

export interface FollowOptions {
  afterSequence: number;
  /** Largest batch handed over at once. */
  maxBatch?: number;
}

/** A live, ordered view of a stream: yields batches of messages in sequence order, then waits for more. */
export interface MessageFeed extends AsyncIterable<StoredMessage[]> {
  close(): Promise<void>;
}

export interface EventLog {
  /** Creates streams/tables when missing; safe to call at every start. */
  initialize(): Promise<void>;
  append(stream: StreamKind, request: AppendRequest): Promise<AppendResult>;
  /** Every message on one exact subject after `afterSequence`, in order. */
  readSubject(stream: StreamKind, subject: string, afterSequence?: number): Promise<StoredMessage[]>;
  /** Up to `limit` messages of a stream after `afterSequence`, in order (replay, audit). */
  readStream(stream: StreamKind, afterSequence: number, limit: number): Promise<StoredMessage[]>;
  /** Follows a stream from a position: catch-up then live. */
  follow(stream: StreamKind, options: FollowOptions): MessageFeed;
  consume(stream: StreamKind, options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle>;
  /** Is the log reachable (health check)? */
  ping(): Promise<void>;
  close(): Promise<void>;
}
