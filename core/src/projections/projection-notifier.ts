/** What one projected batch did to an aggregate's row: the types of the events applied to it. */
export type ProjectedAggregates = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Tells readers in this process when the projector has written an aggregate's row, so that
 * the ingress can answer with the row it just caused (read-your-writes) without polling the
 * database. Readers in a process whose projector lost the race to another process's still
 * see the row by their own timeout-bounded re-check.
 */
export class ProjectionNotifier {
  private readonly waiters = new Map<string, Set<(eventTypes: ReadonlySet<string>) => void>>();
  private projectors = 0;

  /**
   * Whether a projector in this process is following the log. It tells of every event it
   * reads, whichever process's projector applied it, so readers here then need to look again
   * unprompted only as a safety net.
   */
  get projectorRuns(): boolean {
    return this.projectors > 0;
  }

  /** A projector in this process started following; the returned function says it stopped. */
  projectorStarted(): () => void {
    this.projectors++;
    let stopped = false;
    return () => {
      if (!stopped) this.projectors--;
      stopped = true;
    };
  }

  /**
   * A promise that settles at the next projection of `aggregateId` (of one of the `wakeOn`
   * event types, when given: a reader that waits for a row to settle has no use for the rest),
   * or after `timeoutMs`.
   */
  nextProjection(aggregateId: string, timeoutMs: number, wakeOn?: ReadonlySet<string>): { settled: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const settled = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(() => cancel(), timeoutMs);
    const listeners = this.waiters.get(aggregateId) ?? new Set();
    const listener = (eventTypes: ReadonlySet<string>) => {
      if (!wakeOn || [...eventTypes].some((type) => wakeOn.has(type))) cancel();
    };
    const cancel = () => {
      clearTimeout(timer);
      listeners.delete(listener);
      if (listeners.size === 0 && this.waiters.get(aggregateId) === listeners) this.waiters.delete(aggregateId);
      wake();
    };
    listeners.add(listener);
    this.waiters.set(aggregateId, listeners);
    return { settled, cancel };
  }

  projected(aggregates: ProjectedAggregates): void {
    for (const [id, eventTypes] of aggregates) {
      const listeners = this.waiters.get(id);
      if (listeners) for (const listener of [...listeners]) listener(eventTypes);
    }
  }
}
