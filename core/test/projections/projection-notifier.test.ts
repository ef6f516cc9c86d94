import { describe, expect, it } from 'vitest';
import { ProjectionNotifier } from '../../src/projections/projection-notifier.js';

describe('projection notifier', () => {
  it('wakes a reader as soon as its aggregate is projected', async () => {
    const notifier = new ProjectionNotifier();
    const started = Date.now();
    const wait = notifier.nextProjection('job1', 5_000);
    notifier.projected(['other', 'job1']);
    await wait.settled;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets a reader go after its timeout when nothing is projected', async () => {
    const notifier = new ProjectionNotifier();
    const started = Date.now();
    await notifier.nextProjection('job1', 50).settled;
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('does not wake readers of other aggregates', async () => {
    const notifier = new ProjectionNotifier();
    let woken = false;
    const wait = notifier.nextProjection('job1', 200);
    void wait.settled.then(() => (woken = true));
    notifier.projected(['job2']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    wait.cancel();
    await wait.settled;
    expect(woken).toBe(true);
  });
});
