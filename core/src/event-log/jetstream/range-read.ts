import type { JsMsg } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection.js';
import { readerConsumerConfig } from './topology.js';

export interface RangeQuery {
  streamName: string;
  afterSequence: number;
  /** Physical subject; omitted: the whole stream. */
  filterSubject?: string;
  /** Omitted: everything stored after `afterSequence`. */
  limit?: number;
}

/**
 * Caps one pull request's lifetime. A range that takes longer to deliver is not lost: the read
 * goes on from the last message received with a new consumer.
 */
const fetchExpiresMs = 5_000;

/**
 * Reads a bounded range in one batch pull. The reader consumer's info already says how many
 * messages match (`num_pending`), so exactly that many are fetched and the pull ends as soon as
 * the last one arrives, instead of waiting out the pull's expiry: two round trips whatever the
 * range's length. Measured on NATS 2.9, for more than a few messages it beats a loop of message
 * gets (a round trip each) and the client's ordered consumer (which adds a stream-info request).
 *
 * @example
 * // one page of the events stream, for a replay
 * await readRange(connection, { streamName: 'CONVEYOR_EVENTS', afterSequence: 1_000, limit: 500 });
 */
export async function readRange(connection: JetStreamConnection, query: RangeQuery): Promise<JsMsg[]> {
  const { manager, client } = connection;
  const limit = query.limit ?? Number.POSITIVE_INFINITY;
  const received: JsMsg[] = [];
  let nextSequence = query.afterSequence + 1;
  while (received.length < limit) {
    const info = await manager.consumers.add(query.streamName, readerConsumerConfig(nextSequence, query.filterSubject));
    const consumer = client.consumers.getConsumerFromInfo(info);
    try {
      const wanted = Math.min(limit - received.length, info.num_pending);
      if (wanted === 0) break;
      const messages = await consumer.fetch({ max_messages: wanted, expires: fetchExpiresMs });
      let got = 0;
      for await (const message of messages) {
        received.push(message);
        got++;
      }
      if (got === wanted) break;
      // A short pull: the range was too long for one pull's lifetime, or messages expired from
      // the stream meanwhile. Read on from the last one received; refuse to spin without progress.
      if (got === 0) throw new Error(`reading ${query.streamName} after ${nextSequence - 1}: pull returned nothing`);
      nextSequence = received[received.length - 1]!.seq + 1;
    } finally {
      // Not awaited: the answer does not depend on it, and inactive_threshold reaps it anyway.
      consumer.delete().catch(() => {});
    }
  }
  return received;
}
