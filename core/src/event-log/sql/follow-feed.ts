import type { MessageFeed, StoredMessage } from '../port.js';
import { Doorbell } from './doorbell.js';
import { IdlePoll } from './idle-poll.js';

export interface FollowFeedSource {
  /** Up to `limit` messages after `afterSequence`, in order. */
  read(afterSequence: number, limit: number): Promise<StoredMessage[]>;
  /** Rings the doorbell when the stream may have grown; returns the unsubscribe function. */
  subscribe(doorbell: Doorbell): () => void;
  pollIntervalMs: number;
  /** The longest wait between looks once the stream has stayed quiet (see IdlePoll). */
  idlePollMaxMs: number;
}

/**
 * A feed that reads batches from a position and, when caught up, sleeps until the stream
 * grows (an in-process append) or the poll interval passes (an append from elsewhere); the
 * longer the stream stays quiet, the longer the interval, up to idlePollMaxMs.
 * Iterating it twice continues from where the previous iteration stopped.
 */
export class FollowFeed implements MessageFeed {
  readonly #doorbell = new Doorbell();
  #position: number;
  #closed = false;

  constructor(
    private readonly source: FollowFeedSource,
    afterSequence: number,
    private readonly maxBatch: number,
    private readonly onClose: () => void,
  ) {
    this.#position = afterSequence;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StoredMessage[]> {
    const unsubscribe = this.source.subscribe(this.#doorbell);
    const idle = new IdlePoll(this.source.pollIntervalMs, this.source.idlePollMaxMs);
    try {
      while (!this.#closed) {
        const batch = await this.source.read(this.#position, this.maxBatch);
        if (this.#closed) return;
        if (batch.length === 0) {
          await this.#doorbell.wait(idle.next(0));
          continue;
        }
        idle.next(batch.length);
        this.#position = batch[batch.length - 1]!.sequence;
        yield batch;
      }
    } finally {
      // Reached by close(), by `break` out of for-await, and by a read that throws.
      unsubscribe();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#doorbell.ring();
    this.onClose();
  }
}
