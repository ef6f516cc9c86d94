import type { ConversionJobView, FileView } from '@conveyor/contracts';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import { absentFileStatuses, pendingUploadStatus } from '../projections/file-row.js';
import type { ProjectedAggregate, ProjectionNotifier } from '../projections/projection-notifier.js';
import { after, decodeCursor, toPage, type Page } from './keyset-page.js';
import { toConversionJobView, toFileView, toResourceView, toStoredFile, type AuditEntry, type OrgUsageView, type ResourceView, type StoredFile } from './views.js';

/**
 * How long a reader waits for a projection before it looks again unprompted: briefly when no
 * projector here tells of projections, and only as a safety net when one does (a reader under
 * load would otherwise read the row again and again before the projector got to it).
 */
const recheckMs = { unnotified: 100, notified: 1_000 };

/** How a wait for a projection goes on besides its timeout. */
export interface WaitOptions<T = unknown> {
  /** How long to wait for a notification before reading again (a projector in another process notifies no one here). */
  recheckMs?: number;
  /** Ends the wait early, answering what was read last. */
  signal?: AbortSignal;
  /** Read again only after a projection of one of these event types (and at each recheck); after any when absent. */
  wakeOn?: ReadonlySet<string>;
  /**
   * Sees the first value read, before any waiting: a throw ends the wait with that error. Lets a
   * caller check what it must know first (the record exists, the caller may read it) without a
   * read of its own ahead of the wait's.
   */
  checkFirst?: (value: T) => void;
  /**
   * What a projection told of says the value now is, when it says enough: then the wait answers
   * that instead of reading it back. Undefined when the projection tells too little.
   */
  told?: (projection: ProjectedAggregate) => { value: T } | undefined;
}

/** An upload announced through `/api/uploads`: `pending` until its bytes are registered, `complete` after. */
export interface UploadProgress {
  status: 'pending' | 'complete';
  name: string;
  /** When an anonymous session's upload (pending or not) is swept. */
  expiresAt: string | undefined;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Read side of the native API: rows of the projections, shaped as the API documents them. */
export class ReadModelQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly notifier?: ProjectionNotifier,
  ) {}

  async file(orgId: string, id: string): Promise<StoredFile | undefined> {
    const row = await this.db
      .selectFrom('files')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', 'not in', absentFileStatuses)
      .executeTakeFirst();
    return row && toStoredFile(row);
  }

  /**
   * Where an upload through `/api/uploads` stands, as the upload routes see it; undefined for a
   * file that is unknown, deleted or aborted.
   */
  async upload(orgId: string, id: string): Promise<UploadProgress | undefined> {
    const row = await this.db
      .selectFrom('files')
      .select(['status', 'name', 'expires_at'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '!=', 'deleted')
      .executeTakeFirst();
    if (!row) return undefined;
    return { status: row.status === pendingUploadStatus ? 'pending' : 'complete', name: row.name, expiresAt: iso(row.expires_at) ?? undefined };
  }

  /** The file whose current share is `shareTokenId`, in whatever org: what a share link opens. */
  async fileByShareToken(shareTokenId: string): Promise<StoredFile | undefined> {
    const row = await this.db.selectFrom('files').selectAll().where('share_token_id', '=', shareTokenId).where('status', '!=', 'deleted').executeTakeFirst();
    return row && toStoredFile(row);
  }

  /** The org's files, newest first. `cursor` must come from a previous page (see `isCursor`). */
  async listFiles(orgId: string, limit: number, cursor: string | undefined): Promise<Page<FileView>> {
    let query = this.db.selectFrom('files').selectAll().where('org_id', '=', orgId).where('status', 'not in', absentFileStatuses);
    const position = cursor === undefined ? undefined : decodeCursor(cursor);
    if (position) query = query.where((eb) => after(eb, 'created_at', position));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (row) => ({ at: new Date(row.created_at).toISOString(), id: row.id }), toFileView);
  }

  async listConversionJobs(orgId: string, limit: number, cursor: string | undefined): Promise<Page<ConversionJobView>> {
    let query = this.db.selectFrom('conversion_jobs').selectAll().where('org_id', '=', orgId).where('deleted', '=', false);
    const position = cursor === undefined ? undefined : decodeCursor(cursor);
    if (position) query = query.where((eb) => after(eb, 'queued_at', position));
    const rows = await query.orderBy('queued_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (row) => ({ at: new Date(row.queued_at).toISOString(), id: row.id }), toConversionJobView);
  }

  async listResources(orgId: string, resource: string, limit: number, cursor: string | undefined): Promise<Page<ResourceView>> {
    let query = this.db.selectFrom('resources').selectAll().where('org_id', '=', orgId).where('resource', '=', resource);
    const position = cursor === undefined ? undefined : decodeCursor(cursor);
    if (position) query = query.where((eb) => after(eb, 'created_at', position));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (row) => ({ at: new Date(row.created_at).toISOString(), id: row.id }), toResourceView);
  }

  async resource(orgId: string, resource: string, id: string): Promise<ResourceView | undefined> {
    const row = await this.db
      .selectFrom('resources')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('resource', '=', resource)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toResourceView(row);
  }

  /** The API key whose hash is `keyHash`, in whatever org. */
  async apiKeyByHash(keyHash: string): Promise<ResourceView | undefined> {
    const row = await this.db
      .selectFrom('resources')
      .selectAll()
      .where('resource', '=', 'api-key')
      .where(sql<string>`data->>'key_hash'`, '=', keyHash)
      .executeTakeFirst();
    return row && toResourceView(row);
  }

  /** Whether a projector in this process tells these queries' waits of every projection (see ProjectionNotifier). */
  get projectorNotifies(): boolean {
    return this.notifier?.projectorRuns ?? false;
  }

  /** Waits until the projection shows `id` as `present` (a creation) or not (a deletion); read-your-writes. */
  async waitForResource(orgId: string, resource: string, id: string, present: (view: ResourceView | undefined) => boolean, timeoutMs: number) {
    return this.waitFor(id, () => this.resource(orgId, resource, id), present, timeoutMs);
  }

  /** Waits until `read` satisfies `done`, woken by projections of `aggregateId`. */
  async waitUntil<T>(aggregateId: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, options?: WaitOptions<T>): Promise<T> {
    return this.waitFor(aggregateId, read, done, timeoutMs, options);
  }

  /** The org's events, newest first; filtered by type and by time (inclusive bounds). */
  async audit(orgId: string, filter: { limit: number; before?: number; types?: string[]; since?: string; until?: string }): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
    let query = this.db.selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
    if (filter.before !== undefined) query = query.where('sequence', '<', filter.before);
    if (filter.types && filter.types.length > 0) query = query.where('type', 'in', filter.types);
    if (filter.since) query = query.where('occurred_at', '>=', new Date(filter.since));
    if (filter.until) query = query.where('occurred_at', '<=', new Date(filter.until));
    const rows = await query.orderBy('sequence', 'desc').limit(filter.limit + 1).execute();
    const items = rows.slice(0, filter.limit).map((row) => ({
      id: row.id,
      sequence: Number(row.sequence),
      type: row.type,
      aggregate: row.aggregate,
      aggregate_id: row.aggregate_id,
      occurred_at: new Date(row.occurred_at).toISOString(),
      data: row.data,
    }));
    const last = items.at(-1);
    return { items, next_cursor: rows.length > filter.limit && last ? String(last.sequence) : null };
  }

  /**
   * What the org stores (bytes and files, deleted ones and pending uploads left out) and how
   * many of its conversions are queued, scanning or processing: running totals the projector keeps.
   */
  async usage(orgId: string): Promise<OrgUsageView> {
    const row = await this.db.selectFrom('org_usage').select(['storage_bytes', 'file_count', 'active_jobs']).where('org_id', '=', orgId).executeTakeFirst();
    return { storage_bytes: Number(row?.storage_bytes ?? 0), file_count: Number(row?.file_count ?? 0), active_jobs: Number(row?.active_jobs ?? 0) };
  }

  async conversionJob(orgId: string, id: string): Promise<ConversionJobView | undefined> {
    const row = await this.db
      .selectFrom('conversion_jobs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('deleted', '=', false)
      .executeTakeFirst();
    return row && toConversionJobView(row);
  }

  /**
   * Read-your-writes for the ingress, which appends the command that creates a job and answers
   * with the job the projector wrote. Called before the command is sent, it listens from then
   * on, so that `landed()` (after the send) answers with the row the projection here wrote, or
   * reads once the projection has been seen or after a recheck's pause, rather than reading at
   * once into a row that cannot be there yet.
   */
  expectConversionJob(orgId: string, id: string, timeoutMs: number): { landed(): Promise<ConversionJobView | undefined> } {
    const start = Date.now();
    const projection = this.notifier?.nextProjection(id, this.defaultRecheckMs());
    return {
      landed: async () => {
        const seen = await projection?.settled;
        const shown = seen && this.toldConversionJob(seen, orgId)?.value;
        if (shown) return shown;
        const remainingMs = Math.max(0, timeoutMs - (Date.now() - start));
        return this.waitFor(id, () => this.conversionJob(orgId, id), (job) => job !== undefined, remainingMs, {
          told: (told) => this.toldConversionJob(told, orgId),
        });
      },
    };
  }

  /**
   * The job as `conversionJob` would read it, from the row a projection here just committed; a
   * job gone is `{ value: undefined }`. Undefined when the projection brought no row (another
   * process's projector wrote it) or the row is another org's.
   */
  toldConversionJob(projection: ProjectedAggregate, orgId: string): { value: ConversionJobView | undefined } | undefined {
    const row = projection.jobRow;
    if (!row || row.org_id !== orgId) return undefined;
    return { value: row.deleted ? undefined : toConversionJobView(row) };
  }

  /** Waits until the metadata of `version` (or a later one) has been probed, or `timeoutMs` passes; answers the file as last read. */
  async waitForFileMetadata(orgId: string, id: string, version: number, timeoutMs: number): Promise<StoredFile | undefined> {
    return this.waitFor(id, () => this.file(orgId, id), (file) => file === undefined || (file.metadata?.version ?? 0) >= version, timeoutMs);
  }

  private defaultRecheckMs(): number {
    return this.projectorNotifies ? recheckMs.notified : recheckMs.unnotified;
  }

  /** Reads until `done` holds of what `read` answers, waking when the projector touches `aggregateId`. */
  private async waitFor<T>(aggregateId: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, options: WaitOptions<T> = {}): Promise<T> {
    const { recheckMs = this.defaultRecheckMs(), signal, wakeOn, checkFirst, told } = options;
    const deadline = Date.now() + timeoutMs;
    let toldValue: { value: T } | undefined;
    for (let first = true; ; first = false) {
      const pause = Math.max(0, Math.min(recheckMs, deadline - Date.now()));
      // Listen before looking, so that a projection landing in between is not missed.
      const projection = this.notifier?.nextProjection(aggregateId, pause, wakeOn);
      const value = toldValue ? toldValue.value : await read();
      if (first && checkFirst) {
        try {
          checkFirst(value);
        } catch (error) {
          projection?.cancel();
          throw error;
        }
      }
      if (done(value) || Date.now() >= deadline || signal?.aborted) {
        projection?.cancel();
        return value;
      }
      const stopWaiting = () => projection?.cancel();
      signal?.addEventListener('abort', stopWaiting, { once: true });
      const seen = await (projection?.settled ?? new Promise<undefined>((resolve) => setTimeout(resolve, pause)));
      signal?.removeEventListener('abort', stopWaiting);
      toldValue = seen && told?.(seen);
    }
  }
}
