import { assertConsumeOptions, startMember } from '../consumer-members.js';
import { systemClock, type Clock } from '../../system/clock.js';
import { randomIds, type IdGenerator } from '../../system/ids.js';
import type {
  AppendRequest,
  AppendResult,
  ConsumeOptions,
  ConsumerHandle,
  DeliveryHandler,
  EventLog,
  FollowOptions,
  MessageFeed,
  StoredMessage,
  StreamKind,
} from '../port.js';
import { appendMessage } from './append.js';
import { openJetStreamConnection, type JetStreamConnection } from './connection.js';
import { exponentialRetryDelay, settleDelivery } from './delivery-settlement.js';
import { DurableConsumerMember } from './durable-member.js';
import { JetStreamFollowFeed } from './follow-feed.js';
import { Namespace } from './namespace.js';
import { readRange } from './range-read.js';
import { readSubjectMessages } from './subject-read.js';
import { toStoredMessage } from './stored-message.js';
import { applyTopology, durableConsumerConfig } from './topology.js';

export interface JetStreamEventLogOptions {
  /** `nats://host:4222`, or several separated by commas. */
  url: string;
  /**
   * Prefixes every physical subject and stream name (`conveyor` → `conveyor.evt.…`,
   * `CONVEYOR_EVENTS`), so deployments and test runs sharing a server never see each other.
   */
  namespace: string;
  /**
   * How many servers of a NATS cluster keep each stream. Default 1. Applied on every start, so
   * it must match what the streams should have: a stream found with another count is changed
   * to this one.
   */
  streamReplicas?: number;
  /** The connection name the server shows. Default `conveyor-<namespace>`. */
  connectionName?: string;
  /** Largest batch a follower gets when FollowOptions.maxBatch is not given. Default 500. */
  defaultFollowBatch?: number;
  /** How long a delivery whose handler threw waits before redelivery. Default 100 ms doubling to 5 s. */
  retryDelayMs?: (deliveryCount: number) => number;
  clock?: Clock;
  ids?: IdGenerator;
  /** Where background failures (a pull that failed, a dead-letter append) go. Default: console.warn. */
  reportError?: (error: unknown, context: string) => void;
}

/**
 * The event log on NATS JetStream (2.9 or later): one stream per kind, `Nats-Msg-Id`
 * de-duplication, expected-last-subject-sequence for optimistic concurrency, durable pull
 * consumers with ack wait, in-progress acks, max deliver and a dead-letter event.
 *
 * It connects on first use; `initialize()` also creates or updates the streams.
 *
 * @example
 * const log = new JetStreamEventLog({ url: 'nats://127.0.0.1:4222', namespace: 'conveyor' });
 * await log.initialize();
 * await log.append('events', { subject: subjects.event('file', id), messageId, payload });
 */
export class JetStreamEventLog implements EventLog {
  readonly #namespace: Namespace;
  readonly #members = new Set<DurableConsumerMember>();
  readonly #feeds = new Set<JetStreamFollowFeed>();
  #connection: Promise<JetStreamConnection> | undefined;
  readonly #reportError = (error: unknown, context: string): void =>
    (this.options.reportError ?? reportToConsole)(error, context);

  constructor(private readonly options: JetStreamEventLogOptions) {
    this.#namespace = new Namespace(options.namespace);
  }

  async initialize(): Promise<void> {
    const { manager } = await this.#connect();
    await applyTopology(manager, this.#namespace, this.options.streamReplicas ?? 1);
  }

  async append(stream: StreamKind, request: AppendRequest): Promise<AppendResult> {
    const { client } = await this.#connect();
    return appendMessage(client, this.#namespace, stream, request);
  }

  async readSubject(stream: StreamKind, subject: string, afterSequence = 0): Promise<StoredMessage[]> {
    this.#namespace.assertBelongsTo(stream, subject);
    const connection = await this.#connect();
    const streamName = this.#namespace.streamName(stream);
    const messages = await readSubjectMessages(connection, streamName, this.#namespace.physicalSubject(subject), afterSequence);
    return messages.map((message) => toStoredMessage(this.#namespace, stream, message));
  }

  async readStream(stream: StreamKind, afterSequence: number, limit: number): Promise<StoredMessage[]> {
    const connection = await this.#connect();
    const messages = await readRange(connection, { streamName: this.#namespace.streamName(stream), afterSequence, limit });
    return messages.map((message) => toStoredMessage(this.#namespace, stream, message));
  }

  follow(stream: StreamKind, options: FollowOptions): MessageFeed {
    const feed: JetStreamFollowFeed = new JetStreamFollowFeed(
      { connection: () => this.#connect(), namespace: this.#namespace, stream },
      options.afterSequence,
      options.maxBatch ?? this.options.defaultFollowBatch ?? 500,
      () => this.#feeds.delete(feed),
    );
    this.#feeds.add(feed);
    return feed;
  }

  async consume(stream: StreamKind, options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle> {
    assertConsumeOptions(options);
    const { client, manager } = await this.#connect();
    const streamName = this.#namespace.streamName(stream);
    // Adding an existing durable with a changed configuration updates it (ack wait, filter, …).
    const info = await manager.consumers.add(streamName, durableConsumerConfig(this.#namespace, options));
    const reportError = this.#reportError;
    const member = new DurableConsumerMember(client.consumers.getConsumerFromInfo(info), {
      concurrency: options.concurrency,
      reportError,
      settle: (message) =>
        settleDelivery(message, {
          namespace: this.#namespace,
          stream,
          options,
          handler,
          appendEvent: (request) => this.append('events', request),
          clock: this.options.clock ?? systemClock,
          ids: this.options.ids ?? randomIds,
          retryDelayMs: this.options.retryDelayMs ?? exponentialRetryDelay,
          reportError,
        }),
    });
    return startMember(this.#members, member);
  }

  async ping(): Promise<void> {
    const { nats } = await this.#connect();
    await nats.flush();
  }

  /** Closes feeds, stops consumers (waiting for their handlers), then drains the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#feeds].map((feed) => feed.close()));
    await Promise.all([...this.#members].map((member) => member.stop()));
    this.#members.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    if (!connection) return;
    const { nats } = await connection.catch(() => ({ nats: undefined }));
    if (nats && !nats.isClosed()) await nats.drain();
  }

  /** One connection per log, opened on first use; a failed attempt is forgotten so the next call retries. */
  #connect(): Promise<JetStreamConnection> {
    this.#connection ??= openJetStreamConnection({
      url: this.options.url,
      name: this.options.connectionName ?? `conveyor-${this.#namespace.name}`,
    }).catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }
}

function reportToConsole(error: unknown, context: string): void {
  console.warn(`jetstream event log: ${context}:`, error);
}
