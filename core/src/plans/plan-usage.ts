import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { RateLimitWindows } from '../rate-limit/rate-limit-windows.js';
import { SqlRateLimitWindows } from '../rate-limit/sql-rate-limit-windows.js';

/**
 * The shared state plan limits are checked against beyond the read models (whose org_usage
 * row holds stored bytes and running jobs). Kept in the database, so that every api process
 * of a deployment sees the same counts.
 */
export interface PlanUsage {
  rateLimitWindows: RateLimitWindows;
}

/**
 * Plan usage over the database the read models live in.
 *
 * @example
 * buildApiServer({ …, planUsage: sqlPlanUsage(database.db) });
 */
export function sqlPlanUsage(db: Kysely<Database>): PlanUsage {
  return { rateLimitWindows: new SqlRateLimitWindows(db) };
}
