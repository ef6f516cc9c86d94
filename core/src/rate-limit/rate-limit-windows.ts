/**
 * Request counts per key and fixed window: the state a rate limit shares between api
 * processes. A window is named by its start (epoch milliseconds).
 */
export interface RateLimitWindows {
  /** Counts one more request for `key` in the window starting at `windowStart`; answers the count, this request included. */
  increment(key: string, windowStart: number): Promise<number>;
  /** The count so far for `key` in that window, without adding to it (0 when nothing was counted). */
  peek(key: string, windowStart: number): Promise<number>;
}
