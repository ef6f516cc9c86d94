import type { ConversionJobRow } from './conversion-job-row.js';

/**
 * What one projected batch did to an aggregate: the types of its events in the batch, and, when
 * this process's projector wrote it, the conversion job's row as committed (a reader can answer
 * with it instead of reading it back).
 */
export interface ProjectedAggregate {
  eventTypes: ReadonlySet<string>;
  jobRow?: ConversionJobRow;
}

export type ProjectedAggregates = ReadonlyMap<string, ProjectedAggregate>;

/** A wait for a projection: settles with what the projection did, or undefined at the timeout or when cancelled. */
export interface PendingProjection {
  settled: Promise<ProjectedAggregate | undefined>;
  cancel(): void;
}

/**
 * Tells readers in this process when the projector has written an aggregate's row, so that
 * the ingress can answer with the row it just caused (read-your-writes) without polling the
 * database. Readers in a process whose projector lost the race to another process's still
 * see the row by their own timeout-bounded re-check.
 */
export class ProjectionNotifier {
  private readonly waiters = new Map<string, Set<(projection: ProjectedAggregate) => void>>();
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
  nextProjection(aggregateId: string, timeoutMs: number, wakeOn?: ReadonlySet<string>): PendingProjection {
    let wake!: (projection: ProjectedAggregate | undefined) => void;
    const settled = new Promise<ProjectedAggregate | undefined>((resolve) => (wake = resolve));
    const timer = setTimeout(() => end(undefined), timeoutMs);
    const listeners = this.waiters.get(aggregateId) ?? new Set();
    const listener = (projection: ProjectedAggregate) => {
      if (!wakeOn || [...projection.eventTypes].some((type) => wakeOn.has(type))) end(projection);
    };
    const end = (projection: ProjectedAggregate | undefined) => {
      clearTimeout(timer);
      listeners.delete(listener);
      if (listeners.size === 0 && this.waiters.get(aggregateId) === listeners) this.waiters.delete(aggregateId);
      wake(projection);
    };
    listeners.add(listener);
    this.waiters.set(aggregateId, listeners);
    return { settled, cancel: () => end(undefined) };
  }

  projected(aggregates: ProjectedAggregates): void {
    for (const [id, projection] of aggregates) {
      const listeners = this.waiters.get(id);
      if (listeners) for (const listener of [...listeners]) listener(projection);
    }
  }
}
