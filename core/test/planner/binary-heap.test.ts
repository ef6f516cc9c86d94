import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../src/planner/binary-heap.js';

const drain = <T>(heap: BinaryHeap<T>): T[] => {
  const items: T[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) items.push(item);
  return items;
};

describe('BinaryHeap', () => {
  it('pops items in order', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    for (const value of [5, 3, 9, 1, 7, 2, 8, 2]) heap.push(value);
    expect(heap.size).toBe(8);
    expect(drain(heap)).toEqual([1, 2, 2, 3, 5, 7, 8, 9]);
    expect(heap.pop()).toBeUndefined();
  });

  it('pops equal items in the order they were pushed', () => {
    const heap = new BinaryHeap<{ rank: number; name: string }>((a, b) => a.rank < b.rank);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    names.forEach((name, index) => heap.push({ rank: index % 2, name }));
    expect(drain(heap).map((item) => item.name)).toEqual(['a', 'c', 'e', 'g', 'i', 'b', 'd', 'f', 'h', 'j']);
  });

  it('keeps order when pushes and pops interleave', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    const popped: number[] = [];
    for (const value of [10, 4, 6]) heap.push(value);
    popped.push(heap.pop()!);
    for (const value of [1, 12, 5]) heap.push(value);
    popped.push(...drain(heap));
    expect(popped).toEqual([4, 1, 5, 6, 10, 12]);
  });
});
