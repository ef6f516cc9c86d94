import type { Clock } from '../system/clock.js';
import type { RateLimitWindows } from './rate-limit-windows.js';

/** Where a key stands in the current window, as the rate-limit headers report it. */
export interface RateLimitDecision {
  /** Requests allowed in the window. */
  limit: number;
  /** Requests left in the window after this one; never negative. */
  remaining: number;
  /** Whole seconds until the window ends and the count starts again (1 to the window's length). */
  resetSeconds: number;
  /** False once the count has gone past `limit`: the request is refused. */
  allowed: boolean;
}

/**
 * A fixed-window rate limit: requests are counted per key in windows of `windowMs` aligned
 * on the epoch (per minute: hh:mm:00 to hh:mm:59), so that every process agrees on the
 * window from its clock alone. A burst of up to twice the limit can straddle a boundary;
 * that is the price of one counter per key and window.
 *
 * @example
 * const limiter = new FixedWindowLimiter(new SqlRateLimitWindows(db), systemClock);
 * const decision = await limiter.take('org:o1', 120);
 * if (!decision.allowed) throw new AppError('rate_limit_exceeded', …);
 */
export class FixedWindowLimiter {
  constructor(
    private readonly windows: RateLimitWindows,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key` and says whether it is within `limit`. */
  async take(key: string, limit: number): Promise<RateLimitDecision> {
    const now = this.clock.now().getTime();
    const count = await this.windows.increment(key, this.#windowStart(now));
    return this.#decision(now, count, limit, count <= limit);
  }

  /** Where `key` stands, without counting a request (for routes that are not limited). */
  async peek(key: string, limit: number): Promise<RateLimitDecision> {
    const now = this.clock.now().getTime();
    const count = await this.windows.peek(key, this.#windowStart(now));
    return this.#decision(now, count, limit, true);
  }

  /** The decision for a request that could not be counted: the full limit, and when the window ends. */
  uncounted(limit: number): RateLimitDecision {
    return this.#decision(this.clock.now().getTime(), 0, limit, true);
  }

  #windowStart(now: number): number {
    return now - (now % this.windowMs);
  }

  #decision(now: number, count: number, limit: number, allowed: boolean): RateLimitDecision {
    const resetSeconds = Math.ceil((this.#windowStart(now) + this.windowMs - now) / 1000);
    return { limit, remaining: Math.max(0, limit - count), resetSeconds, allowed };
  }
}
