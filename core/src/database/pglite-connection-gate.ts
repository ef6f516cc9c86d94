/** Whoever sends statements over PGlite's one connection: a kysely connection handle. */
export type Borrower = object;

interface Waiter {
  /** Set for a transaction's BEGIN: once sent, the connection is the borrower's until it ends. */
  opens?: Borrower;
  send(): void;
}

/**
 * Orders what goes over PGlite's one connection. PGlite runs statements one at a time in the
 * order they are sent, so statements outside a transaction are sent at once, without waiting
 * for the answers to those before them: the database works through them back to back instead
 * of idling while each answer travels back and the next statement is built. A transaction has
 * the connection to itself from its BEGIN until it ends; whatever arrives meanwhile waits and
 * is sent, in arrival order, when it does.
 *
 * Sending happens inside the gate, synchronously, so that the order in which the gate admits
 * statements is exactly the order PGlite receives them: a statement admitted before a BEGIN can
 * never land inside that transaction.
 */
export class ConnectionGate {
  #owner: Borrower | undefined;
  readonly #waiting: Waiter[] = [];
  #inFlight = 0;
  #idle: Array<() => void> = [];

  /** Sends one statement of `borrower` when it may go (at once unless another's transaction is open). */
  run<T>(borrower: Borrower, send: () => Promise<T>): Promise<T> {
    if (this.#owner === borrower || (this.#owner === undefined && this.#waiting.length === 0)) return this.#track(send);
    return this.#enqueue(send);
  }

  /** Sends `borrower`'s BEGIN when the connection is free; from then on it holds the connection until `end`. */
  begin<T>(borrower: Borrower, send: () => Promise<T>): Promise<T> {
    if (this.#owner === undefined && this.#waiting.length === 0) {
      this.#owner = borrower;
      return this.#track(send);
    }
    return this.#enqueue(send, borrower);
  }

  owns(borrower: Borrower): boolean {
    return this.#owner === borrower;
  }

  /** `borrower`'s transaction is over: what waited is sent, up to and including the next BEGIN. */
  end(borrower: Borrower): void {
    if (this.#owner !== borrower) return;
    this.#owner = undefined;
    while (this.#owner === undefined && this.#waiting.length > 0) {
      const next = this.#waiting.shift()!;
      if (next.opens) this.#owner = next.opens;
      next.send();
    }
    this.#settleIdle();
  }

  /** Resolves once nothing is in flight, waiting or holding the connection. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Waits its turn; `opens` names the borrower whose BEGIN this is. */
  #enqueue<T>(send: () => Promise<T>, opens?: Borrower): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { send: () => void this.#track(send).then(resolve, reject) };
      if (opens) waiter.opens = opens;
      this.#waiting.push(waiter);
    });
  }

  #track<T>(send: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    let sent: Promise<T>;
    try {
      sent = send();
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.finally(() => {
      this.#inFlight--;
      this.#settleIdle();
    });
  }

  #isIdle(): boolean {
    return this.#inFlight === 0 && this.#owner === undefined && this.#waiting.length === 0;
  }

  #settleIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
