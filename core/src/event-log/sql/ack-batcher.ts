/**
 * Gathers acks made close together into one write: acks requested while a write is in
 * flight, or in the same turn of the event loop, go out together in the next one. Each
 * caller's promise settles with the write that carried its ack.
 */
export class AckBatcher {
  #waiting: Array<{ sequence: number; settle: (error?: unknown) => void }> = [];
  #flushing: Promise<void> | undefined;

  constructor(private readonly write: (sequences: number[]) => Promise<void>) {}

  ack(sequence: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ sequence, settle: (error) => (error ? reject(error) : resolve()) });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    // Let the acks of this turn of the event loop join the first write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        await this.write(batch.map((entry) => entry.sequence));
        for (const entry of batch) entry.settle();
      } catch (error) {
        for (const entry of batch) entry.settle(error);
      }
    }
    this.#flushing = undefined;
  }
}
