/** How often PGlite is vacuumed while it is being used, unless the dialect is told otherwise. */
export const defaultVacuumIntervalMs = 2_000;

/**
 * Stands in for autovacuum, which PGlite does not have: it runs PostgreSQL as one process with
 * no background workers. Without it every dead row version stays, and tables that are updated
 * and deleted from all day keep growing underneath their live rows. The event log's
 * deliveries are the sharpest case (each one is inserted, leased and deleted): a consumer's
 * claim walks past every dead entry of its index range, and was measured at 1 ms early in a
 * benchmark run and 20 ms after 6,000 jobs.
 *
 * Every interval in which a statement ran, `vacuum` is called once (never two at a time).
 * A plain VACUUM skips the pages the visibility map marks all-visible, so a run costs about
 * what changed since the last one; an idle database is left alone.
 */
export class VacuumSchedule {
  readonly #timer: NodeJS.Timeout;
  #usedSinceVacuum = false;
  #running: Promise<void> | undefined;

  constructor(
    private readonly vacuum: () => Promise<void>,
    intervalMs: number,
  ) {
    this.#timer = setInterval(() => this.#tick(), intervalMs);
    this.#timer.unref(); // housekeeping must not keep a finished process alive
  }

  /** A statement ran; the next tick vacuums. The vacuum's own statement must not call this. */
  noteStatement(): void {
    this.#usedSinceVacuum = true;
  }

  /** No more runs; resolves once a run in progress has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #tick(): void {
    if (this.#running || !this.#usedSinceVacuum) return;
    this.#usedSinceVacuum = false;
    // A failed run loses nothing (the dead rows wait for the next one), and the database's
    // own callers see whatever made it fail; there is nobody here to tell.
    this.#running = this.vacuum()
      .catch(() => undefined)
      .finally(() => (this.#running = undefined));
  }
}
