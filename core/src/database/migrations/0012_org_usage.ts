import { sql, type Kysely } from 'kysely';

/**
 * Each org's stored bytes and files as running totals, kept by the projector with the files'
 * rows (projections/org-usage.ts). The storage quota was checked by summing the org's files on
 * every upload, a cost that grew with the org. Seeded from the files projected so far.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('org_usage')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('storage_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('file_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // The statuses are those of absentFileStatuses (projections/file-row.ts) as of this migration.
  await sql`
    insert into org_usage (org_id, storage_bytes, file_count)
    select org_id, sum(size), count(*) from files where status not in ('deleted', 'pending') group by org_id
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('org_usage').execute();
}
