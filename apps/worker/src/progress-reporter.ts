/**
 * Turns a plugin's progress calls into at most a few events a second: clamped to 0–99
 * (100 is the completion event's to say), never backwards, whole percents only, and sent
 * one at a time so that they reach the log in order. The clock starts with the step, so a
 * step that ends within the first interval reports no progress at all: its completion says it.
 */
export class ProgressReporter {
  private lastSent = 0;
  private lastSentAt = Date.now();
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (pct: number) => Promise<void>,
    private readonly minIntervalMs = 250,
  ) {}

  report(pct: number): void {
    const whole = Math.floor(Math.min(99, Math.max(0, Number.isFinite(pct) ? pct : 0)));
    const now = Date.now();
    if (whole <= this.lastSent || now - this.lastSentAt < this.minIntervalMs) return;
    this.lastSent = whole;
    this.lastSentAt = now;
    // Progress is advisory: a lost progress event must not fail the conversion.
    this.pending = this.pending.then(() => this.send(whole)).catch(() => undefined);
  }

  settle(): Promise<void> {
    return this.pending;
  }
}
