/**
 * How long a poller waits before it looks for work again: `intervalMs` after a look that found
 * some, doubling with each look that found none, up to `maxMs`. With `maxMs` equal to
 * `intervalMs` it polls at a steady pace.
 */
export class IdlePoll {
  #waitMs: number;

  constructor(
    private readonly intervalMs: number,
    private readonly maxMs: number,
  ) {
    this.#waitMs = intervalMs;
  }

  /** The wait after a look that found `found` items. */
  next(found: number): number {
    if (found > 0) {
      this.#waitMs = this.intervalMs;
      return this.intervalMs;
    }
    const waitMs = this.#waitMs;
    this.#waitMs = Math.min(waitMs * 2, Math.max(this.maxMs, this.intervalMs));
    return waitMs;
  }
}
