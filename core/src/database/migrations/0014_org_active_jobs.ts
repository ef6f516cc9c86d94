import { sql, type Kysely } from 'kysely';

/**
 * Each org's queued, scanning and processing conversions as a running total beside its storage
 * (projections/org-usage.ts). The concurrent-jobs limit counted them on every conversion
 * request, a cost that grew with the org's backlog. Seeded from the jobs projected so far.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('org_usage')
    .addColumn('active_jobs', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // The statuses are those of activeJobStatuses (projections/conversion-job-row.ts) as of this migration.
  await sql`
    insert into org_usage (org_id, active_jobs)
    select org_id, count(*) from conversion_jobs where status in ('queued', 'scanning', 'processing') group by org_id
    on conflict (org_id) do update set active_jobs = excluded.active_jobs
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('org_usage').dropColumn('active_jobs').execute();
}
