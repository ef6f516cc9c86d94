import type { ConvertContext } from '@conveyor/contracts';
import { throwIfCancelled } from './cancellation.js';

/**
 * Reports progress in whole percents, never backwards and never the same twice, and checks the
 * signal at every report: a report is where a long conversion shows it is alive, so it is also
 * where it notices a cancel.
 */
export class ProgressReporter {
  private last = -1;

  constructor(private readonly ctx: Pick<ConvertContext, 'progress' | 'signal'>) {}

  report(percent: number): void {
    const whole = Math.min(100, Math.max(0, Math.floor(percent)));
    if (whole > this.last) {
      this.last = whole;
      this.ctx.progress(whole);
    }
    throwIfCancelled(this.ctx.signal);
  }

  /** A report for `fraction` (0–1) of the stretch from `start` to `end` percent. */
  within(start: number, end: number): (fraction: number) => void {
    return (fraction) => this.report(start + (end - start) * Math.min(1, Math.max(0, fraction)));
  }
}
