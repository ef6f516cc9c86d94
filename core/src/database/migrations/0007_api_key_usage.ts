import type { Kysely } from 'kysely';

/**
 * When each API key was last used. Operational state rather than an event per request, so that
 * authenticating never writes to the event log; a revoked key's row is simply left unread.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_key_usage')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_key_usage').execute();
}
