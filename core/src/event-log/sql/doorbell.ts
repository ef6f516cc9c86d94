/**
 * Wakes one waiting loop early. A ring that arrives while nobody waits is kept for the next
 * wait, so a loop that checks for work and then waits cannot miss the news in between.
 */
export class Doorbell {
  #rung = false;
  #wake: (() => void) | undefined;

  ring(): void {
    if (this.#wake) this.#wake();
    else this.#rung = true;
  }

  /** Resolves on the next ring, or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): Promise<void> {
    if (this.#rung) {
      this.#rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
    });
  }
}
