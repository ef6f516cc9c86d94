import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from './migrations/index.js';

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/**
 * Brings the schema to the latest migration; safe to call at every start (kysely holds a lock
 * while it migrates, so concurrent starts take turns).
 *
 * @throws Error naming the migration that failed, with the database error as `cause`.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const { error, results = [] } = await migratorFor(db).migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(before any migration ran)'} failed: ${reason}`, { cause: error });
  }
  return results;
}
