import { activeJobStatuses, type ConversionJobRow } from './conversion-job-row.js';
import { absentFileStatuses, type FileRow } from './file-row.js';

/** How much an org's running totals move. */
export interface UsageDelta {
  org_id: string;
  storage_bytes: number;
  file_count: number;
  active_jobs: number;
}

/** Rows by id; undefined for one that does not exist (yet). */
type RowsById<Row> = ReadonlyMap<string, Row | undefined>;

/** A batch's rows by id, as they were before it and as it left them. */
export interface RowChanges<Row> {
  before: RowsById<Row>;
  after: RowsById<Row>;
}

/** What one file adds to its org's usage: its bytes and itself, unless it is absent. */
function fileFootprint(row: FileRow | undefined) {
  return row && !absentFileStatuses.includes(row.status) ? { storage_bytes: row.size, file_count: 1 } : { storage_bytes: 0, file_count: 0 };
}

/** What one job adds: a concurrent-job slot while it runs. */
function jobFootprint(row: ConversionJobRow | undefined) {
  return { active_jobs: row && activeJobStatuses.includes(row.status) ? 1 : 0 };
}

/** Per org, how rows going from `before` to `after` move the totals that `footprint` counts. */
function deltasOf<Row extends { org_id: string }>(
  before: RowsById<Row>,
  after: RowsById<Row>,
  footprint: (row: Row | undefined) => Partial<Omit<UsageDelta, 'org_id'>>,
  byOrg: Map<string, UsageDelta>,
): void {
  for (const [id, row] of after) {
    const previous = before.get(id);
    const orgId = row?.org_id ?? previous?.org_id;
    if (orgId === undefined) continue;
    const [was, is] = [footprint(previous), footprint(row)];
    const delta = byOrg.get(orgId) ?? { org_id: orgId, storage_bytes: 0, file_count: 0, active_jobs: 0 };
    for (const key of ['storage_bytes', 'file_count', 'active_jobs'] as const) delta[key] += (is[key] ?? 0) - (was[key] ?? 0);
    byOrg.set(orgId, delta);
  }
}

/** How each org's usage moves with a batch's files and jobs; orgs that did not move are left out. */
export function usageDeltas(files: RowChanges<FileRow>, jobs: RowChanges<ConversionJobRow>): UsageDelta[] {
  const byOrg = new Map<string, UsageDelta>();
  deltasOf(files.before, files.after, fileFootprint, byOrg);
  deltasOf(jobs.before, jobs.after, jobFootprint, byOrg);
  return [...byOrg.values()].filter((delta) => delta.storage_bytes !== 0 || delta.file_count !== 0 || delta.active_jobs !== 0);
}
