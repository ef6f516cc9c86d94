import type { Kysely } from 'kysely';

/** What the scanner and the metadata tool found, on the files read model. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('files')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('scan_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('scan_reason', 'text')
    .addColumn('metadata', 'jsonb')
    .addColumn('metadata_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata_write', 'jsonb')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['version', 'scan_status', 'scan_reason', 'metadata', 'metadata_version', 'metadata_write']) {
    await db.schema.alterTable('files').dropColumn(column).execute();
  }
}
