import { describe, expect, it } from 'vitest';
import { IdlePoll } from '../../src/event-log/sql/idle-poll.js';

describe('idle poll', () => {
  it('doubles the wait after each look that found nothing, up to its ceiling', () => {
    const poll = new IdlePoll(1_000, 5_000);
    expect([0, 0, 0, 0, 0].map((found) => poll.next(found))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('goes back to the interval after a look that found something', () => {
    const poll = new IdlePoll(1_000, 5_000);
    poll.next(0);
    poll.next(0);
    expect(poll.next(3)).toBe(1_000);
    expect(poll.next(0)).toBe(1_000);
    expect(poll.next(0)).toBe(2_000);
  });

  it('keeps a steady pace when its ceiling is the interval (or below it)', () => {
    expect([0, 0, 0].map(() => new IdlePoll(50, 50).next(0))).toEqual([50, 50, 50]);
    const below = new IdlePoll(50, 10);
    expect([0, 0, 0].map(() => below.next(0))).toEqual([50, 50, 50]);
  });
});
