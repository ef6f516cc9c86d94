import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { ClosedConnectionError } from '@nats-io/transport-node';

export interface DurableMemberSettings {
  /** How many deliveries run at once. */
  concurrency: number;
  /** Runs one delivery to its end (ack, nak, dead-letter); never rejects. */
  settle: (message: JsMsg) => Promise<void>;
  reportError: (error: unknown, context: string) => void;
}

/** A pull waits this long on an idle consumer before it is renewed. */
const pullExpiresMs = 15_000;

/** After a failed pull (server restarting, consumer deleted), wait before pulling again. */
const pullRetryDelayMs = 1_000;

/**
 * One member of a durable pull consumer. It requests only as many messages as it has free
 * handler slots, in batch pulls: a delivered message starts its ack-wait clock at once, so
 * messages prefetched beyond what can run would time out behind a slow handler and come back
 * with an inflated delivery count — or be dead-lettered without ever having run.
 *
 * While a pull is outstanding, a new one is issued only once at least half the slots are free,
 * so a busy member pulls in batches rather than once per finished handler.
 */
export class DurableConsumerMember {
  readonly #running = new Set<Promise<void>>();
  readonly #pulls = new Set<Promise<void>>();
  readonly #openBatches = new Set<ConsumerMessages>();
  readonly #minimumPull: number;
  /** Messages asked for and not yet received. */
  #requested = 0;
  #stopping = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: DurableMemberSettings,
  ) {
    this.#minimumPull = Math.max(1, Math.ceil(settings.concurrency / 2));
  }

  start(): void {
    this.#pullWhenFree();
  }

  /** Stops pulling, hands back what was pulled but not started, waits for running handlers. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#retryTimer);
    // Not awaited one by one: a batch's close settles only as its pull loop reads on, which
    // awaiting the pulls covers.
    for (const batch of this.#openBatches) void batch.close();
    await Promise.all(this.#pulls);
    await Promise.all(this.#running);
  }

  #pullWhenFree(): void {
    if (this.#stopping || this.#retryTimer) return;
    const free = this.settings.concurrency - this.#running.size - this.#requested;
    if (free <= 0 || (this.#requested > 0 && free < this.#minimumPull)) return;
    this.#requested += free;
    const pull = this.#pull(free);
    this.#pulls.add(pull);
    void pull.finally(() => this.#pulls.delete(pull));
  }

  async #pull(batchSize: number): Promise<void> {
    let notReceived = batchSize;
    let failed = false;
    try {
      const batch = await this.consumer.fetch({ max_messages: batchSize, expires: pullExpiresMs });
      this.#openBatches.add(batch);
      if (this.#stopping) void batch.close(); // stop() came while the pull was being issued
      try {
        for await (const message of batch) {
          notReceived--;
          this.#requested--;
          this.#start(message);
        }
      } finally {
        this.#openBatches.delete(batch);
      }
    } catch (error) {
      failed = true;
      if (error instanceof ClosedConnectionError) this.#stopping = true;
      if (!this.#stopping) this.settings.reportError(error, 'pulling from a durable consumer');
    } finally {
      this.#requested -= notReceived; // the pull expired or failed before it was filled
    }
    if (failed) this.#retryLater();
    else this.#pullWhenFree();
  }

  #start(message: JsMsg): void {
    if (this.#stopping) {
      message.nak(); // pulled while stopping: let another member (or the next start) have it now
      return;
    }
    const running = this.settings.settle(message);
    this.#running.add(running);
    void running.finally(() => {
      this.#running.delete(running);
      this.#pullWhenFree();
    });
  }

  #retryLater(): void {
    if (this.#stopping || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#pullWhenFree();
    }, pullRetryDelayMs);
  }
}
