import type { ConversionJobView, FileView } from '@conveyor/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import { toConversionJobView, toFileView, type StoredFile } from './views.js';

/** Read side of the native API: rows of the projections, shaped as the API documents them. */
export class ReadModelQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async file(orgId: string, id: string): Promise<StoredFile | undefined> {
    const row = await this.db.selectFrom('files').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && { view: toFileView(row), blobKey: row.blob_key };
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
    const deadline = Date.now() + timeoutMs;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const job = await this.conversionJob(orgId, id);
      if (job || Date.now() >= deadline) return job;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
