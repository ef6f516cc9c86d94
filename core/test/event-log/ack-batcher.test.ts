import { describe, expect, it } from 'vitest';
import { AckBatcher } from '../../src/event-log/sql/ack-batcher.js';

describe('ack batcher', () => {
  it('writes acks of one turn together, and acks made during a write in the next', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const batcher = new AckBatcher(async (sequences) => {
      writes.push(sequences);
      if (writes.length === 1) await firstWrite;
    });
    const first = [batcher.ack(1), batcher.ack(2), batcher.ack(3)];
    await new Promise((resolve) => setImmediate(resolve));
    const second = [batcher.ack(4), batcher.ack(5)];
    release();
    await Promise.all([...first, ...second]);
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('rejects the acks whose write failed, and carries on with later ones', async () => {
    let fail = true;
    const batcher = new AckBatcher(async () => {
      if (fail) throw new Error('database unavailable');
    });
    await expect(batcher.ack(1)).rejects.toThrow('database unavailable');
    fail = false;
    await expect(batcher.ack(2)).resolves.toBeUndefined();
  });
});
