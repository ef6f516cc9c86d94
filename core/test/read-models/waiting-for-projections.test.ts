import type { ConversionJobView } from '@conveyor/contracts';
import type { Kysely } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/database/schema.js';
import type { ConversionJobRow } from '../../src/projections/conversion-job-row.js';
import { ProjectionNotifier } from '../../src/projections/projection-notifier.js';
import { ReadModelQueries } from '../../src/read-models/queries.js';

// The waits are about when they read, not what: the reads are stubbed, so no database is needed.
const noDatabase = {} as Kysely<Database>;
const job = { id: 'job1', org_id: 'org1', status: 'queued' } as ConversionJobView;
const row = (status: ConversionJobRow['status'], overrides: Partial<ConversionJobRow> = {}): ConversionJobRow => ({
  id: 'job1',
  org_id: 'org1',
  file_id: 'file1',
  status,
  progress_pct: status === 'completed' ? 100 : 0,
  source_format: 'png',
  target_format: 'webp',
  options: {},
  steps: [],
  attempt_count: 1,
  error_code: null,
  error_message: null,
  queued_at: '2026-12-06T10:00:00.000Z',
  started_at: null,
  completed_at: status === 'completed' ? '2026-12-06T10:00:01.000Z' : null,
  duration_ms: status === 'completed' ? 1_000 : null,
  output_file_id: null,
  deleted: false,
  ...overrides,
});
const projected = (notifier: ProjectionNotifier, type: string, jobRow?: ConversionJobRow) =>
  notifier.projected(new Map([['job1', jobRow ? { eventTypes: new Set([type]), jobRow } : { eventTypes: new Set([type]) }]]));

/** Queries in a process whose projector follows the log and tells of what it projects. */
function withLocalProjector() {
  const notifier = new ProjectionNotifier();
  notifier.projectorStarted();
  return { notifier, queries: new ReadModelQueries(noDatabase, notifier) };
}

describe('waiting for a projection', () => {
  it('expecting a job before its command is sent: one read, after the projection it listened for', async () => {
    const notifier = new ProjectionNotifier();
    const queries = new ReadModelQueries(noDatabase, notifier);
    let written = false;
    const reads = vi.spyOn(queries, 'conversionJob').mockImplementation(async () => (written ? job : undefined));

    const expected = queries.expectConversionJob('org1', 'job1', 5_000);
    // The command goes out and the projector writes the row at once, before anyone waits.
    written = true;
    projected(notifier, 'ConversionRequested');

    expect(await expected.landed()).toBe(job);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('expecting a job while the projector here lags: no read until the projection is told of', async () => {
    const { notifier, queries } = withLocalProjector();
    let written = false;
    const reads = vi.spyOn(queries, 'conversionJob').mockImplementation(async () => (written ? job : undefined));

    const expected = queries.expectConversionJob('org1', 'job1', 5_000);
    setTimeout(() => {
      written = true;
      projected(notifier, 'ConversionRequested');
    }, 350);

    expect(await expected.landed()).toBe(job);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('expecting a job without a projector in this process: reads until the row is there', async () => {
    const queries = new ReadModelQueries(noDatabase);
    let reads = 0;
    vi.spyOn(queries, 'conversionJob').mockImplementation(async () => (++reads >= 3 ? job : undefined));

    expect(await queries.expectConversionJob('org1', 'job1', 5_000).landed()).toBe(job);
    expect(reads).toBe(3);
  });

  it('hands the first value read to checkFirst before waiting, and ends the wait with what it throws', async () => {
    const queries = new ReadModelQueries(noDatabase, new ProjectionNotifier());
    const read = vi.fn(async () => undefined);
    const started = Date.now();

    const waiting = queries.waitUntil('job1', read, (value) => value !== undefined, 5_000, {
      checkFirst: (value) => {
        if (value === undefined) throw new Error('not found');
      },
    });

    await expect(waiting).rejects.toThrow('not found');
    expect(read).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('calls checkFirst once only, on the first read', async () => {
    const notifier = new ProjectionNotifier();
    const queries = new ReadModelQueries(noDatabase, notifier);
    let status = 'queued';
    const checked: string[] = [];
    const waiting = queries.waitUntil('job1', async () => status, (value) => value === 'completed', 5_000, { checkFirst: (value) => void checked.push(value) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = 'completed';
    projected(notifier, 'ConversionCompleted');

    expect(await waiting).toBe('completed');
    expect(checked).toEqual(['queued']);
  });

  it('answers with the row the projection here wrote, without reading it back', async () => {
    const { notifier, queries } = withLocalProjector();
    const reads = vi.spyOn(queries, 'conversionJob').mockImplementation(async () => undefined);

    const expected = queries.expectConversionJob('org1', 'job1', 5_000);
    projected(notifier, 'ConversionRequested', row('queued'));
    expect(await expected.landed()).toMatchObject({ id: 'job1', status: 'queued', queued_at: '2026-12-06T10:00:00.000Z' });
    expect(reads).not.toHaveBeenCalled();

    // A long poll reads first (it must know the job is there), then takes the settled row as told.
    const settled = queries.waitUntil('job1', () => queries.conversionJob('org1', 'job1').then(() => row('queued')), (job) => job.status === 'completed', 5_000, {
      wakeOn: new Set(['ConversionCompleted']),
      told: (projection) => (projection.jobRow ? { value: projection.jobRow } : undefined),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    projected(notifier, 'ConversionCompleted', row('completed'));
    expect((await settled).status).toBe('completed');
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("reads the row when the projection brought none, or another org's", async () => {
    const { notifier, queries } = withLocalProjector();
    const reads = vi.spyOn(queries, 'conversionJob').mockImplementation(async () => job);

    const expected = queries.expectConversionJob('org1', 'job1', 5_000);
    projected(notifier, 'ConversionRequested', row('queued', { org_id: 'org2' }));
    expect(await expected.landed()).toBe(job);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(queries.toldConversionJob({ eventTypes: new Set(['ConversionDeleted']), jobRow: row('queued', { deleted: true }) }, 'org1')).toEqual({ value: undefined });
    expect(queries.toldConversionJob({ eventTypes: new Set(['ConversionRequested']) }, 'org1')).toBeUndefined();
  });
});
