import { sql, type Kysely } from 'kysely';

/**
 * Request counts of the rate limit, per key and fixed window, shared by every api process;
 * and an index for counting an org's active jobs (its concurrent-job limit).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('key', 'text', (c) => c.notNull())
    // Epoch milliseconds at which the window starts.
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pkey', ['key', 'window_start'])
    .execute();
  // Pruning deletes by window alone, which the primary key (key first) does not serve.
  await db.schema.createIndex('rate_limit_windows_window_start_idx').on('rate_limit_windows').column('window_start').execute();
  await db.schema
    .createIndex('conversion_jobs_active_org_idx')
    .on('conversion_jobs')
    .column('org_id')
    .where(sql<boolean>`status in ('queued', 'scanning', 'processing')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversion_jobs_active_org_idx').execute();
  await db.schema.dropTable('rate_limit_windows').execute();
}
