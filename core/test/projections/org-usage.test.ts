import type { StoredBlob } from '@conveyor/contracts';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversionAggregate, fileAggregate } from '../../src/aggregates/aggregate-types.js';
import type { CommandHandler } from '../../src/aggregates/command-handler.js';
import type { DatabaseHandle } from '../../src/database/connect.js';
import * as orgUsageMigration from '../../src/database/migrations/0012_org_usage.js';
import * as orgActiveJobsMigration from '../../src/database/migrations/0014_org_active_jobs.js';
import type { SqlEventLog } from '../../src/event-log/sql/sql-event-log.js';
import type { ReadModelProjector } from '../../src/projections/read-model-projector.js';
import { ReadModelQueries } from '../../src/read-models/queries.js';
import { randomIds } from '../../src/system/ids.js';
import { projectionFixture, type ProjectionFixture } from './projection-fixture.js';

describe("an org's usage", () => {
  let database: DatabaseHandle;
  let log: SqlEventLog;
  let commands: CommandHandler;
  let projector: ReadModelProjector;
  let queries: ReadModelQueries;
  const clock = { now: () => new Date('2026-12-06T10:00:00.000Z') };

  let fixture: ProjectionFixture;

  beforeEach(async () => {
    fixture = await projectionFixture(clock);
    ({ database, log, commands, projector } = fixture);
    queries = new ReadModelQueries(database.db);
  });

  afterEach(() => fixture.close());

  const meta = (aggregateId: string, orgId: string) => ({ aggregateId, orgId, commandId: randomIds.next(), correlationId: null });

  async function upload(orgId: string, size: number): Promise<string> {
    const fileId = randomIds.next();
    const blob: StoredBlob = { blob_key: `org/${orgId}/files/${fileId}`, size, sha256: 'a'.repeat(64), format: 'png', mime: 'image/png' };
    await commands.handle(fileAggregate, meta(fileId, orgId), {
      type: 'RegisterUpload',
      data: { ...blob, name: 'a.png', visibility: 'private', uploaded_at: clock.now().toISOString(), source: { kind: 'upload' } },
    });
    return fileId;
  }

  /** What summing the org's files says, the way the quota was once checked. */
  async function summed(orgId: string) {
    const { rows } = await sql<{ bytes: string | number; files: string | number }>`
      select coalesce(sum(size), 0) as bytes, count(*) as files from files where org_id = ${orgId} and status not in ('deleted', 'pending')
    `.execute(database.db);
    return { storage_bytes: Number(rows[0]!.bytes), file_count: Number(rows[0]!.files), active_jobs: await counted(orgId) };
  }

  async function requestConversion(orgId: string): Promise<string> {
    const fileId = await upload(orgId, 10);
    const jobId = randomIds.next();
    await commands.handle(conversionAggregate, meta(jobId, orgId), {
      type: 'RequestConversion',
      data: { file_id: fileId, source_name: 'a.png', source_format: 'png', source_blob_key: `org/${orgId}/files/${fileId}`, target_format: 'webp', options: {} },
    });
    return jobId;
  }

  /** What counting the org's running jobs says, the way the concurrent-jobs limit was once checked. */
  async function counted(orgId: string): Promise<number> {
    const { rows } = await sql<{ active: string | number }>`
      select count(*) as active from conversion_jobs where org_id = ${orgId} and status in ('queued', 'scanning', 'processing')
    `.execute(database.db);
    return Number(rows[0]!.active);
  }

  it('counts the conversions that hold a slot: queued, scanning, processing, until they end', async () => {
    const queued = await requestConversion('org1');
    const scanning = await requestConversion('org1');
    const cancelled = await requestConversion('org1');
    await requestConversion('org2');
    await commands.handle(conversionAggregate, meta(scanning, 'org1'), { type: 'MarkScanAwaited', data: { file_ids: ['f'] } });
    await projector.catchUp();
    expect((await queries.usage('org1')).active_jobs).toBe(3);
    expect((await queries.usage('org2')).active_jobs).toBe(1);

    await commands.handle(conversionAggregate, meta(cancelled, 'org1'), { type: 'CancelConversion', data: {} });
    await commands.handle(conversionAggregate, meta(queued, 'org1'), { type: 'FailConversion', data: { error_code: 'file_rejected', error_message: 'no' } });
    await projector.catchUp();
    expect((await queries.usage('org1')).active_jobs).toBe(1);
    // A failed job run again takes a slot again.
    await commands.handle(conversionAggregate, meta(queued, 'org1'), { type: 'RetryConversion', data: { actor: 'user1' } });
    // A repeat of every batch changes nothing twice.
    await projector.catchUp();
    await projector.apply(await log.readStream('events', 0, 100));
    expect((await queries.usage('org1')).active_jobs).toBe(2);
    for (const org of ['org1', 'org2']) expect(await queries.usage(org)).toEqual(await summed(org));
  });

  it('follows uploads and deletions, per org, and agrees with the files themselves', async () => {
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 0, file_count: 0, active_jobs: 0 });
    const first = await upload('org1', 1_000);
    await upload('org1', 250);
    await upload('org2', 7);
    await projector.catchUp();
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 1_250, file_count: 2, active_jobs: 0 });
    expect(await queries.usage('org2')).toEqual({ storage_bytes: 7, file_count: 1, active_jobs: 0 });

    await commands.handle(fileAggregate, meta(first, 'org1'), { type: 'DeleteFile', data: { actor: 'user1' } });
    // A repeat of the deletion's batch changes nothing twice.
    const events = await log.readStream('events', 0, 100);
    await projector.catchUp();
    await projector.apply(events);
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 250, file_count: 1, active_jobs: 0 });
    for (const org of ['org1', 'org2']) expect(await queries.usage(org)).toEqual(await summed(org));
  });

  it('is rebuilt by a replay', async () => {
    await upload('org1', 40);
    await upload('org1', 2);
    await requestConversion('org1');
    await projector.catchUp(1);
    await projector.reset();
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 0, file_count: 0, active_jobs: 0 });
    await projector.catchUp(1);
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 52, file_count: 3, active_jobs: 1 });
  });

  it('is seeded from the files already projected when its migration runs', async () => {
    await upload('org1', 300);
    await upload('org1', 20);
    const deleted = await upload('org1', 5_000);
    await commands.handle(fileAggregate, meta(deleted, 'org1'), { type: 'DeleteFile', data: { actor: 'user1' } });
    await projector.catchUp();
    // Undone and redone in the order the migrations run: the later one adds a column to this table.
    await orgActiveJobsMigration.down(database.db);
    await orgUsageMigration.down(database.db);
    await orgUsageMigration.up(database.db);
    await orgActiveJobsMigration.up(database.db);
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 320, file_count: 2, active_jobs: 0 });
  });

  it("seeds the running jobs from the jobs already projected when their migration runs", async () => {
    await requestConversion('org1');
    const ended = await requestConversion('org1');
    await requestConversion('org2');
    await commands.handle(conversionAggregate, meta(ended, 'org1'), { type: 'CancelConversion', data: {} });
    await projector.catchUp();
    await orgActiveJobsMigration.down(database.db);
    await orgActiveJobsMigration.up(database.db);
    expect(await queries.usage('org1')).toEqual({ storage_bytes: 20, file_count: 2, active_jobs: 1 });
    expect(await queries.usage('org2')).toEqual({ storage_bytes: 10, file_count: 1, active_jobs: 1 });
  });
});
