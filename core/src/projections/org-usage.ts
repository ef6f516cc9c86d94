import { sql, type Transaction } from 'kysely';
import type { Database } from '../database/schema.js';
import { absentFileStatuses, type FileRow } from './file-row.js';

/** What one file adds to its org's usage: its bytes and itself, unless it is absent. */
function footprint(row: FileRow | undefined): { bytes: number; files: number } {
  return row && !absentFileStatuses.includes(row.status) ? { bytes: row.size, files: 1 } : { bytes: 0, files: 0 };
}

interface UsageDelta {
  org_id: string;
  storage_bytes: number;
  file_count: number;
}

/** How each org's usage moves when the files' rows go from `before` to `after` (rows by file id); orgs that did not move are left out. */
export function usageDeltas(before: ReadonlyMap<string, FileRow | undefined>, after: ReadonlyMap<string, FileRow | undefined>): UsageDelta[] {
  const byOrg = new Map<string, UsageDelta>();
  for (const [id, row] of after) {
    const previous = before.get(id);
    const orgId = row?.org_id ?? previous?.org_id;
    if (orgId === undefined) continue;
    const [was, is] = [footprint(previous), footprint(row)];
    const delta = byOrg.get(orgId) ?? { org_id: orgId, storage_bytes: 0, file_count: 0 };
    delta.storage_bytes += is.bytes - was.bytes;
    delta.file_count += is.files - was.files;
    byOrg.set(orgId, delta);
  }
  return [...byOrg.values()].filter((delta) => delta.storage_bytes !== 0 || delta.file_count !== 0);
}

/**
 * Adds the deltas to the orgs' running totals, in the projection's transaction: the storage
 * quota is checked on every upload, and summing an org's files there would grow with the org.
 */
export async function applyUsageDeltas(trx: Transaction<Database>, deltas: UsageDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await trx
    .insertInto('org_usage')
    .values(deltas)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        storage_bytes: sql`org_usage.storage_bytes + excluded.storage_bytes`,
        file_count: sql`org_usage.file_count + excluded.file_count`,
      }),
    )
    .execute();
}
