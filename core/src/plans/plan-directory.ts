import type { PlanName } from './plan-catalog.js';

/** Who a plan is looked up for: the caller's org, and the plan an authenticating gateway named, if any. */
export interface PlanSubject {
  orgId: string;
  /** The gateway owns accounts and billing: when it names a plan, that plan is the org's. */
  planHint?: PlanName | undefined;
}

/**
 * Answers which plan an org is on. Today only the gateway's hint and `DEFAULT_PLAN` say so;
 * a directory over an `orgs` table can take this interface's place without the callers changing.
 */
export interface PlanDirectory {
  planOf(subject: PlanSubject): Promise<PlanName>;
}

/**
 * The plan the gateway named, else `defaultPlan`.
 *
 * @example
 * await defaultPlanDirectory('free').planOf({ orgId: 'o1', planHint: 'pro' }) // 'pro'
 */
export function defaultPlanDirectory(defaultPlan: PlanName): PlanDirectory {
  return { planOf: async (subject) => subject.planHint ?? defaultPlan };
}
