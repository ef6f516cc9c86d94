import { z } from 'zod';

export const planNames = ['free', 'pro', 'enterprise'] as const;
export type PlanName = (typeof planNames)[number];

/**
 * What a plan allows. The names are the snake_case ones clients see (in `PLAN_LIMITS` and,
 * later, `GET /api/usage`), so that one vocabulary serves configuration, code and API.
 */
export interface PlanLimits {
  /** Largest upload, in bytes; never above `MAX_UPLOAD_BYTES`. */
  max_file_bytes: number;
  /** Most files one PDF merge takes. */
  bulk_max: number;
  /** Requests an org may make in one minute, over every api process. */
  requests_per_minute: number;
  /** Conversions an org may have queued, scanning or processing at once. */
  concurrent_jobs: number;
  /** Whether conversions may keep the source's metadata (`preserve_metadata: true`). */
  preserve_metadata: boolean;
  /** Bytes an org may keep stored. */
  storage_quota_bytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/** The limits of each plan unless `PLAN_LIMITS` overrides them. */
export const defaultPlanLimits: Readonly<Record<PlanName, Readonly<PlanLimits>>> = {
  free: {
    max_file_bytes: 50 * MiB,
    bulk_max: 5,
    // A page polling a job once a second, plus its other calls, must stay well within it.
    requests_per_minute: 300,
    concurrent_jobs: 5,
    preserve_metadata: false,
    storage_quota_bytes: GiB,
  },
  pro: {
    max_file_bytes: 2 * GiB,
    bulk_max: 20,
    requests_per_minute: 1200,
    concurrent_jobs: 50,
    preserve_metadata: true,
    storage_quota_bytes: 100 * GiB,
  },
  enterprise: {
    max_file_bytes: 10 * GiB,
    bulk_max: 20,
    requests_per_minute: 6000,
    concurrent_jobs: 500,
    preserve_metadata: true,
    storage_quota_bytes: TiB,
  },
};

const count = z.number().int().positive();
const limitsOverride = z
  .object({
    max_file_bytes: count,
    bulk_max: count,
    requests_per_minute: count,
    concurrent_jobs: count,
    preserve_metadata: z.boolean(),
    storage_quota_bytes: count,
  })
  .partial()
  .strict();
const overridesSchema = z.object({ free: limitsOverride, pro: limitsOverride, enterprise: limitsOverride }).partial().strict();

export interface PlanCatalog {
  limitsOf(plan: PlanName): Readonly<PlanLimits>;
  /** Every plan, in ascending order (free, pro, enterprise). */
  readonly plans: ReadonlyArray<{ name: PlanName; limits: Readonly<PlanLimits> }>;
}

export interface PlanCatalogSettings {
  /** `PLAN_LIMITS`: JSON overrides by plan, e.g. `{"pro":{"requests_per_minute":600}}`; empty for none. */
  overrides: string;
  /** `MAX_UPLOAD_BYTES`: the ceiling of every plan's `max_file_bytes`. */
  maxUploadBytes: number;
}

/**
 * The plans' limits: the defaults, overridden by `PLAN_LIMITS`, with `max_file_bytes`
 * capped by `MAX_UPLOAD_BYTES` (the server-wide ceiling wins over any plan).
 *
 * @throws Error `invalid configuration: PLAN_LIMITS …` naming what is wrong, so that a bad
 *   override stops the start-up instead of being ignored.
 * @example
 * buildPlanCatalog({ overrides: '{"free":{"bulk_max":3}}', maxUploadBytes: 512 * 1024 * 1024 }).limitsOf('free').bulk_max // 3
 */
export function buildPlanCatalog(settings: PlanCatalogSettings): PlanCatalog {
  const overrides = parseOverrides(settings.overrides);
  const plans = planNames.map((name) => {
    const merged = { ...defaultPlanLimits[name], ...overrides[name] };
    return { name, limits: Object.freeze({ ...merged, max_file_bytes: Math.min(merged.max_file_bytes, settings.maxUploadBytes) }) };
  });
  const byName = new Map(plans.map((plan) => [plan.name, plan.limits]));
  return { plans, limitsOf: (plan) => byName.get(plan)! };
}

function parseOverrides(raw: string): z.infer<typeof overridesSchema> {
  if (raw.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`invalid configuration: PLAN_LIMITS is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = overridesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: PLAN_LIMITS ${problems} (plans: ${planNames.join(', ')}; limits: ${Object.keys(defaultPlanLimits.free).join(', ')})`);
  }
  return parsed.data;
}
