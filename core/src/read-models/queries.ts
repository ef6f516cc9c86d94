import type { ConversionJobView, FileView } from '@conveyor/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { ProjectionNotifier } from '../projections/projection-notifier.js';
import { toConversionJobView, toStoredFile, type StoredFile } from './views.js';

/** How long a reader waits for a projection it was not told about before it looks again. */
const unnotifiedRecheckMs = 100;

/** Read side of the native API: rows of the projections, shaped as the API documents them. */
export class ReadModelQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly notifier?: ProjectionNotifier,
  ) {}

  async file(orgId: string, id: string): Promise<StoredFile | undefined> {
    const row = await this.db.selectFrom('files').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && toStoredFile(row);
  }

  async conversionJob(orgId: string, id: string): Promise<ConversionJobView | undefined> {
    const row = await this.db
      .selectFrom('conversion_jobs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toConversionJobView(row);
  }

  /**
   * Waits until the projection shows the job (read-your-writes for the ingress, which
   * appends a command and answers with the job the projector wrote).
   */
  async waitForConversionJob(orgId: string, id: string, timeoutMs: number): Promise<ConversionJobView | undefined> {
    return this.waitFor(id, () => this.conversionJob(orgId, id), (job) => job !== undefined, timeoutMs);
  }

  /** Waits until the file's metadata has been probed (or `timeoutMs` passes); answers the file as last read. */
  async waitForFileMetadata(orgId: string, id: string, timeoutMs: number): Promise<StoredFile | undefined> {
    return this.waitFor(id, () => this.file(orgId, id), (file) => file === undefined || file.metadata !== undefined, timeoutMs);
  }

  /** Reads until `done` holds of what `read` answers, waking when the projector touches `aggregateId`. */
  private async waitFor<T>(aggregateId: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pause = Math.max(0, Math.min(unnotifiedRecheckMs, deadline - Date.now()));
      // Listen before looking, so that a projection landing in between is not missed.
      const projection = this.notifier?.nextProjection(aggregateId, pause);
      const value = await read();
      if (done(value) || Date.now() >= deadline) {
        projection?.cancel();
        return value;
      }
      await (projection?.settled ?? new Promise((resolve) => setTimeout(resolve, pause)));
    }
  }
}
