import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from '../src/progress-reporter.js';

describe('progress reporter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const reporterSending = (sent: number[]) => new ProgressReporter(async (pct) => void sent.push(pct), 250);

  it('says nothing during the first interval, so quick steps emit no progress events', async () => {
    const sent: number[] = [];
    const reporter = reporterSending(sent);
    reporter.report(10);
    reporter.report(90);
    await reporter.settle();
    expect(sent).toEqual([]);
  });

  it('sends at most one report per interval, whole, clamped below 100 and never backwards', async () => {
    const sent: number[] = [];
    const reporter = reporterSending(sent);
    vi.setSystemTime(300);
    reporter.report(12.7);
    reporter.report(40);
    vi.setSystemTime(600);
    reporter.report(5);
    reporter.report(250);
    vi.setSystemTime(900);
    reporter.report(Number.NaN);
    await reporter.settle();
    expect(sent).toEqual([12, 99]);
  });

  it('does not let a failed send fail the conversion', async () => {
    const reporter = new ProgressReporter(async () => {
      throw new Error('log unavailable');
    }, 0);
    vi.setSystemTime(1);
    reporter.report(50);
    await expect(reporter.settle()).resolves.toBeUndefined();
  });
});
