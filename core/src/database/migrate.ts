import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * The migrator keeps its bookkeeping tables beside Conveyor's own, in the connection's current
 * schema, named explicitly: left unnamed, kysely takes bookkeeping tables found in any schema of
 * the database (another app's, another Conveyor's) for its own and fails on the missing ones.
 */
async function migratorFor(db: Kysely<any>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('the database connection has no current schema: check search_path');
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
}

/**
 * Brings the schema to the latest migration; safe to call at every start (kysely holds a lock
 * while it migrates, so concurrent starts take turns).
 *
 * @throws Error naming the migration that failed, with the database error as `cause`.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const { error, results = [] } = await (await migratorFor(db)).migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(before any migration ran)'} failed: ${reason}`, { cause: error });
  }
  return results;
}
