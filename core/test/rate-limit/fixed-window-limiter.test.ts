import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from '../../src/rate-limit/fixed-window-limiter.js';
import { MemoryRateLimitWindows } from '../../src/rate-limit/memory-rate-limit-windows.js';

/** A clock the test moves by hand. */
function manualClock(iso: string) {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('FixedWindowLimiter', () => {
  it('counts down the remaining requests, then refuses past the limit until the minute ends', async () => {
    const clock = manualClock('2026-01-01T10:00:45.200Z');
    const limiter = new FixedWindowLimiter(new MemoryRateLimitWindows(), clock);
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.take('org:a', 3));
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    // 14.8 s are left in the minute: rounded up, so that a client waiting that long finds a new window.
    expect(decisions[3]!.resetSeconds).toBe(15);
    expect(decisions[3]!.limit).toBe(3);

    clock.advance(14_800);
    expect(await limiter.take('org:a', 3)).toEqual({ limit: 3, remaining: 2, resetSeconds: 60, allowed: true });
  });

  it('keeps keys apart, and peeks without counting', async () => {
    const limiter = new FixedWindowLimiter(new MemoryRateLimitWindows(), manualClock('2026-01-01T10:00:59.999Z'));
    await limiter.take('org:a', 5);
    expect(await limiter.peek('org:a', 5)).toMatchObject({ remaining: 4, resetSeconds: 1, allowed: true });
    expect(await limiter.peek('org:a', 5)).toMatchObject({ remaining: 4 });
    expect(await limiter.take('org:b', 5)).toMatchObject({ remaining: 4 });
    expect(limiter.uncounted(5)).toEqual({ limit: 5, remaining: 5, resetSeconds: 1, allowed: true });
  });
});
