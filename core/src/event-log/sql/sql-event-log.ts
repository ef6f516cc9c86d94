import { assertConsumeOptions, startMember } from '../consumer-members.js';
import { sql, type Kysely } from 'kysely';
import { systemClock, type Clock } from '../../system/clock.js';
import { randomIds, type IdGenerator } from '../../system/ids.js';
import {
  streamKinds,
  type AppendRequest,
  type AppendResult,
  type ConsumeOptions,
  type ConsumerHandle,
  type DeliveryHandler,
  type EventLog,
  type FollowOptions,
  type MessageFeed,
  type StoredMessage,
  type StreamKind,
} from '../port.js';
import { appendResult } from './append.js';
import { appendBatcherFor, type AppendBatcher } from './append-batcher.js';
import { appendSignalFor, type AppendSignal } from './append-signal.js';
import { registerConsumer } from './consumer-claims.js';
import { SqlConsumerMember } from './consumer-member.js';
import { FollowFeed } from './follow-feed.js';
import { readMessages } from './messages.js';
import type { EventLogTables } from './tables.js';

export interface SqlEventLogOptions {
  /** How often followers and idle consumers look for appends made by other processes. Default 50 ms. */
  pollIntervalMs?: number;
  /**
   * Followers and consumers that keep finding nothing look less and less often: the wait doubles
   * from pollIntervalMs up to this. Default: pollIntervalMs (a steady pace). For a database only
   * this process appends to (PGlite), whose appends wake them at once anyway.
   */
  idlePollMaxMs?: number;
  /** Largest batch a follower gets when FollowOptions.maxBatch is not given. Default 500. */
  defaultFollowBatch?: number;
  clock?: Clock;
  ids?: IdGenerator;
  /** Where background failures (a claim that hit a database error) are reported. Default: console.warn. */
  reportError?: (error: unknown, context: string) => void;
}

/**
 * The event log in SQL tables (PostgreSQL or PGlite), for deployments without NATS. The tables
 * come from migration 0001_event_log; run the migrations before `initialize()`.
 *
 * The log does not own the database: `close()` stops its consumers and feeds, and the caller
 * closes the database afterwards.
 *
 * @example
 * const { db } = await createDatabase({ kind: 'pglite', dir: './data/db' });
 * await migrateToLatest(db);
 * const log = new SqlEventLog(db);
 * await log.initialize();
 */
export class SqlEventLog<DB extends EventLogTables = EventLogTables> implements EventLog {
  readonly #db: Kysely<EventLogTables>;
  readonly #signal: AppendSignal;
  readonly #appends: AppendBatcher;
  readonly #pollIntervalMs: number;
  readonly #idlePollMaxMs: number;
  readonly #defaultFollowBatch: number;
  readonly #consumers = new Set<SqlConsumerMember>();
  readonly #feeds = new Set<FollowFeed>();

  /** `db` may hold more tables than the log's (the app's whole `Database`): hence the type parameter. */
  constructor(
    db: Kysely<DB>,
    private readonly options: SqlEventLogOptions = {},
  ) {
    // kysely's type is invariant in the schema; the log only touches its own tables.
    this.#db = db as unknown as Kysely<EventLogTables>;
    this.#signal = appendSignalFor(db);
    this.#appends = appendBatcherFor(this.#db);
    this.#pollIntervalMs = options.pollIntervalMs ?? 50;
    this.#idlePollMaxMs = options.idlePollMaxMs ?? this.#pollIntervalMs;
    this.#defaultFollowBatch = options.defaultFollowBatch ?? 500;
  }

  /** Checks that the migrations ran and every stream has its row. */
  async initialize(): Promise<void> {
    await this.#db
      .insertInto('event_log_streams')
      .values(streamKinds.map((stream) => ({ stream })))
      .onConflict((conflict) => conflict.column('stream').doNothing())
      .execute();
  }

  /** Appends made while another is being written go out together with the next batch (see WriteBatcher). */
  async append(stream: StreamKind, request: AppendRequest): Promise<AppendResult> {
    const outcome = await this.#appends.add({ stream, request });
    if ('error' in outcome) throw outcome.error;
    const result = appendResult(request, outcome.answer);
    if (!result.duplicate) this.#signal.notify(stream, request.subject);
    return result;
  }

  readSubject(stream: StreamKind, subject: string, afterSequence = 0): Promise<StoredMessage[]> {
    return readMessages(this.#db, stream, { afterSequence, subject });
  }

  readStream(stream: StreamKind, afterSequence: number, limit: number): Promise<StoredMessage[]> {
    return readMessages(this.#db, stream, { afterSequence, limit });
  }

  follow(stream: StreamKind, options: FollowOptions): MessageFeed {
    const feed: FollowFeed = new FollowFeed(
      {
        read: (afterSequence, limit) => this.readStream(stream, afterSequence, limit),
        subscribe: (doorbell) => this.#signal.subscribe(stream, doorbell),
        pollIntervalMs: this.#pollIntervalMs,
        idlePollMaxMs: this.#idlePollMaxMs,
      },
      options.afterSequence,
      options.maxBatch ?? this.#defaultFollowBatch,
      () => this.#feeds.delete(feed),
    );
    this.#feeds.add(feed);
    return feed;
  }

  async consume(stream: StreamKind, options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle> {
    assertConsumeOptions(options);
    await registerConsumer(this.#db, { stream, consumer: options.consumer }, options.subjectFilter);
    const member = new SqlConsumerMember(
      {
        db: this.#db,
        signal: this.#signal,
        clock: this.options.clock ?? systemClock,
        ids: this.options.ids ?? randomIds,
        pollIntervalMs: this.#pollIntervalMs,
        idlePollMaxMs: this.#idlePollMaxMs,
        reportError: this.options.reportError ?? reportToConsole,
      },
      stream,
      options,
      handler,
    );
    return startMember(this.#consumers, member);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#feeds].map((feed) => feed.close()));
    await Promise.all([...this.#consumers].map((member) => member.stop()));
    this.#consumers.clear();
  }
}

function reportToConsole(error: unknown, context: string): void {
  console.warn(`sql event log: ${context}:`, error);
}
