import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { RateLimitWindows } from '../rate-limit/rate-limit-windows.js';
import { SqlRateLimitWindows } from '../rate-limit/sql-rate-limit-windows.js';

/** Job statuses that still hold one of the org's concurrent-job slots. */
export const activeJobStatuses = ['queued', 'scanning', 'processing'] as const;

/**
 * The shared state plan limits are checked against. Kept in the database, so that every api
 * process of a deployment sees the same counts.
 */
export interface PlanUsage {
  rateLimitWindows: RateLimitWindows;
  /** The org's conversions that are queued, scanning or processing. */
  activeConversionJobs(orgId: string): Promise<number>;
}

/**
 * Plan usage over the database the read models live in.
 *
 * @example
 * buildApiServer({ …, planUsage: sqlPlanUsage(database.db) });
 */
export function sqlPlanUsage(db: Kysely<Database>): PlanUsage {
  return {
    rateLimitWindows: new SqlRateLimitWindows(db),
    async activeConversionJobs(orgId) {
      const row = await db
        .selectFrom('conversion_jobs')
        .select((eb) => eb.fn.countAll<number>().as('active'))
        .where('org_id', '=', orgId)
        .where('status', 'in', activeJobStatuses)
        .executeTakeFirstOrThrow();
      return Number(row.active);
    },
  };
}
