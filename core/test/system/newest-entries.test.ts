import { describe, expect, it } from 'vitest';
import { setNewest } from '../../src/system/newest-entries.js';

describe('setNewest', () => {
  it('forgets the oldest entry once there are more than the capacity', () => {
    const entries = new Map<string, number>();
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) setNewest(entries, key, index, 3);
    expect([...entries]).toEqual([['b', 1], ['c', 2], ['d', 3]]);
  });

  it('makes a key set again the newest, so the next one to go is another', () => {
    const entries = new Map<string, number>();
    setNewest(entries, 'a', 1, 2);
    setNewest(entries, 'b', 2, 2);
    setNewest(entries, 'a', 3, 2);
    setNewest(entries, 'c', 4, 2);
    expect([...entries]).toEqual([['a', 3], ['c', 4]]);
  });
});
