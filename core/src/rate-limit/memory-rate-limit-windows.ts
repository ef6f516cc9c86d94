import type { RateLimitWindows } from './rate-limit-windows.js';

/**
 * Counts in this process's memory: right for one process only (tests, and an ingress whose
 * composition root gave no shared store). Windows other than the latest one seen are dropped.
 */
export class MemoryRateLimitWindows implements RateLimitWindows {
  readonly #counts = new Map<string, number>();
  #latestWindow = 0;

  async increment(key: string, windowStart: number): Promise<number> {
    this.#forgetBefore(windowStart);
    const count = (this.#counts.get(this.#slot(key, windowStart)) ?? 0) + 1;
    this.#counts.set(this.#slot(key, windowStart), count);
    return count;
  }

  async peek(key: string, windowStart: number): Promise<number> {
    return this.#counts.get(this.#slot(key, windowStart)) ?? 0;
  }

  #slot(key: string, windowStart: number): string {
    return `${windowStart}:${key}`;
  }

  #forgetBefore(windowStart: number): void {
    if (windowStart <= this.#latestWindow) return;
    this.#latestWindow = windowStart;
    for (const slot of this.#counts.keys()) {
      if (Number(slot.slice(0, slot.indexOf(':'))) < windowStart) this.#counts.delete(slot);
    }
  }
}
