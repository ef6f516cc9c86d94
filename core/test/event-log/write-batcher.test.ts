import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/event-log/sql/write-batcher.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const deferred = { gatherMs: 0 };

/** A batcher that records its writes, answers each item times ten, and holds its first write until released. */
function recordingBatcher(options: { gatherMs: number | undefined }) {
  const writes: number[][] = [];
  let release!: () => void;
  const firstWrite = new Promise<void>((resolve) => (release = resolve));
  const batcher = new WriteBatcher<number, number>(async (items) => {
    writes.push(items);
    if (writes.length === 1) await firstWrite;
    return items.map((item) => item * 10);
  }, options);
  return { batcher, writes, release };
}

describe('write batcher', () => {
  it('writes the items of one turn together, and items added during a write in the next', async () => {
    const { batcher, writes, release } = recordingBatcher(deferred);
    const first = [batcher.add(1), batcher.add(2), batcher.add(3)];
    await nextTurn();
    const second = [batcher.add(4), batcher.add(5)];
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('without gathering, writes an item at once when idle, and the items added during that write together next', async () => {
    const { batcher, writes, release } = recordingBatcher({ gatherMs: undefined });
    const first = batcher.add(1);
    expect(writes).toEqual([[1]]);
    const during = [batcher.add(2), batcher.add(3)];
    release();
    expect(await Promise.all([first, ...during])).toEqual([10, 20, 30]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('gathering for some milliseconds, writes together what is added within them', async () => {
    const writes: number[][] = [];
    const batcher = new WriteBatcher<number, void>(
      async (items) => {
        writes.push(items);
        return items.map(() => undefined);
      },
      { gatherMs: 30 },
    );
    const first = batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writes).toEqual([]);
    await Promise.all([first, batcher.add(2)]);
    expect(writes).toEqual([[1, 2]]);
  });

  it('gathering, waits again before each later write, so that a taker can still carry what arrived during a write', async () => {
    const { batcher, writes, release } = recordingBatcher({ gatherMs: 30 });
    const first = batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(writes).toEqual([[1]]);
    const during = batcher.add(2);
    release();
    await first;
    // The write is over, but the next one is still gathering: a claim may take the item along.
    const taken = batcher.take();
    expect(taken.items).toEqual([2]);
    taken.settle({ results: [20] });
    await during;
    await batcher.drain();
    expect(writes).toEqual([[1]]);
  });

  it('rejects the items whose write failed, and carries on with later ones', async () => {
    let fail = true;
    const batcher = new WriteBatcher<number, void>(async (items) => {
      if (fail) throw new Error('database unavailable');
      return items.map(() => undefined);
    }, deferred);
    await expect(batcher.add(1)).rejects.toThrow('database unavailable');
    fail = false;
    await expect(batcher.add(2)).resolves.toBeUndefined();
  });

  it('rejects every item of a write that answered the wrong number of results', async () => {
    const batcher = new WriteBatcher<number, number>(async () => [1], deferred);
    const settled = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('hands waiting items to a taker, who settles them; the batcher then writes nothing for them', async () => {
    const writes: number[][] = [];
    const batcher = new WriteBatcher<number, string>(async (items) => {
      writes.push(items);
      return items.map(String);
    }, deferred);
    const added = [batcher.add(1), batcher.add(2)];
    const taken = batcher.take();
    expect(taken.items).toEqual([1, 2]);
    taken.settle({ results: ['one', 'two'] });
    expect(await Promise.all(added)).toEqual(['one', 'two']);
    await batcher.drain();
    expect(writes).toEqual([]);

    const failed = batcher.add(3);
    batcher.take().settle({ error: new Error('claim failed') });
    await expect(failed).rejects.toThrow('claim failed');
  });

  it('drains: resolves once everything added has been written', async () => {
    const written: number[] = [];
    const batcher = new WriteBatcher<number, void>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(...items);
      return items.map(() => undefined);
    }, deferred);
    void batcher.add(1);
    void batcher.add(2);
    await batcher.drain();
    expect(written).toEqual([1, 2]);
  });
});
