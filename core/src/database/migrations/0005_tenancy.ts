import { sql, type Kysely } from 'kysely';

/** The generic auto-CRUD store, the audit log's read model, deletions and anonymous expiry. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Keyset pagination: newest first, ties broken by id.
  await db.schema.createIndex('resources_listing_idx').on('resources').columns(['org_id', 'resource', 'created_at', 'id']).execute();
  await sql`create index resources_api_key_hash_idx on resources ((data->>'key_hash')) where resource = 'api-key'`.execute(db);

  await db.schema
    .createTable('audit_events')
    .addColumn('sequence', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('aggregate', 'text', (c) => c.notNull())
    .addColumn('aggregate_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_org_idx').on('audit_events').columns(['org_id', 'sequence']).execute();

  await db.schema.alterTable('conversion_jobs').addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('files').addColumn('expires_at', 'timestamptz').execute();
  await db.schema.createIndex('files_expiry_idx').on('files').columns(['expires_at']).execute();
  await db.schema.createIndex('conversion_jobs_listing_idx').on('conversion_jobs').columns(['org_id', 'queued_at', 'id']).execute();
  await db.schema.createIndex('files_listing_idx').on('files').columns(['org_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('resources').execute();
  await db.schema.alterTable('conversion_jobs').dropColumn('deleted').execute();
  await db.schema.alterTable('files').dropColumn('expires_at').execute();
}
