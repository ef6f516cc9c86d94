import type { Kysely } from 'kysely';

/**
 * The share a file's links are verified against: a new share replaces the token id, so the
 * links made for the old one stop working. No file had links before this, so both start empty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').addColumn('share_token_id', 'text').addColumn('share_expires_at', 'timestamptz').execute();
  // A share link is looked up by its share's id, in whatever org.
  await db.schema.createIndex('files_share_token_id').on('files').column('share_token_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('files_share_token_id').execute();
  for (const column of ['share_token_id', 'share_expires_at']) {
    await db.schema.alterTable('files').dropColumn(column).execute();
  }
}
