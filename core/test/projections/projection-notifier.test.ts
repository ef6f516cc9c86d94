import { describe, expect, it } from 'vitest';
import { ProjectionNotifier } from '../../src/projections/projection-notifier.js';

const projections = (byAggregate: Record<string, string[]>) => new Map(Object.entries(byAggregate).map(([id, types]) => [id, { eventTypes: new Set(types) }]));

describe('projection notifier', () => {
  it('wakes a reader as soon as its aggregate is projected', async () => {
    const notifier = new ProjectionNotifier();
    const started = Date.now();
    const wait = notifier.nextProjection('job1', 5_000);
    notifier.projected(projections({ other: ['FileUploaded'], job1: ['ConversionRequested'] }));
    await wait.settled;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets a reader go after its timeout when nothing is projected', async () => {
    const notifier = new ProjectionNotifier();
    const started = Date.now();
    await notifier.nextProjection('job1', 50).settled;
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('wakes a reader that waits for some event types only when one of them is projected', async () => {
    const notifier = new ProjectionNotifier();
    let woken = false;
    const wait = notifier.nextProjection('job1', 5_000, new Set(['ConversionCompleted', 'ConversionFailed']));
    void wait.settled.then(() => (woken = true));
    notifier.projected(projections({ job1: ['ConversionStepStarted', 'ConversionStepProgressed'] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    notifier.projected(projections({ job1: ['ConversionStepCompleted', 'ConversionCompleted'] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(true);
  });

  it('does not wake readers of other aggregates', async () => {
    const notifier = new ProjectionNotifier();
    let woken = false;
    const wait = notifier.nextProjection('job1', 200);
    void wait.settled.then(() => (woken = true));
    notifier.projected(projections({ job2: ['ConversionRequested'] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    wait.cancel();
    await wait.settled;
    expect(woken).toBe(true);
  });
  it('counts the projectors that follow the log here, each stopping once', () => {
    const notifier = new ProjectionNotifier();
    const first = notifier.projectorStarted();
    const second = notifier.projectorStarted();
    first();
    first();
    expect(notifier.projectorRuns).toBe(true);
    second();
    expect(notifier.projectorRuns).toBe(false);
  });
});
