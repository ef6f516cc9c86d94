import type { ConsumerMessages } from '@nats-io/jetstream';
import type { MessageFeed, StoredMessage, StreamKind } from '../port.js';
import { inBatches } from './batches.js';
import type { JetStreamConnection } from './connection.js';
import type { Namespace } from './namespace.js';
import { toStoredMessage } from './stored-message.js';
import { followerConsumerOptions } from './topology.js';

export interface FollowFeedSource {
  connection: () => Promise<JetStreamConnection>;
  namespace: Namespace;
  stream: StreamKind;
}

/**
 * How many messages the follower asks the server for ahead of the reader. The client issues the
 * next pull only as the reader takes messages, so a slow reader never buffers more than this.
 */
const minimumPrefetch = 256;

/**
 * A live, ordered view of a stream through an ordered consumer: catch-up and live delivery are
 * the same pull, and the client recreates the consumer from the last sequence seen when it
 * detects a gap or reconnects. Iterating the feed again continues after the last batch yielded.
 */
export class JetStreamFollowFeed implements MessageFeed {
  #position: number;
  #closed = false;
  #active: ConsumerMessages | undefined;

  constructor(
    private readonly source: FollowFeedSource,
    afterSequence: number,
    private readonly maxBatch: number,
    private readonly onClose: () => void,
  ) {
    this.#position = afterSequence;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StoredMessage[]> {
    if (this.#closed) return;
    const { client } = await this.source.connection();
    const streamName = this.source.namespace.streamName(this.source.stream);
    const consumer = await client.consumers.get(streamName, followerConsumerOptions(this.#position + 1));
    const messages = await consumer.consume({ max_messages: Math.max(this.maxBatch, minimumPrefetch) });
    this.#active = messages;
    try {
      if (this.#closed) return; // closed while the consumer was being created
      for await (const batch of inBatches(messages, this.maxBatch, () => void messages.close())) {
        if (this.#closed) return; // batches already received when close() came are not handed out
        const stored = batch.map((message) => toStoredMessage(this.source.namespace, this.source.stream, message));
        this.#position = stored[stored.length - 1]!.sequence;
        yield stored;
      }
    } finally {
      // Reached by close(), by `break` out of for-await, and by a failing consumer.
      this.#active = undefined;
      void messages.close();
      consumer.delete().catch(() => {}); // the server would reap it after its inactive threshold
    }
  }

  /**
   * Ends the iteration at its next step. It does not wait for that step: a reader that closes
   * the feed from inside its own loop body would otherwise wait for itself.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    void this.#active?.close();
    this.onClose();
  }
}
