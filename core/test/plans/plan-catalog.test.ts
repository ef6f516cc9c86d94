import { describe, expect, it } from 'vitest';
import { buildPlanCatalog, defaultPlanLimits } from '../../src/plans/plan-catalog.js';
import { defaultPlanDirectory } from '../../src/plans/plan-directory.js';

const GiB = 1024 ** 3;

describe('buildPlanCatalog', () => {
  it('has the default limits, with max_file_bytes capped by MAX_UPLOAD_BYTES', () => {
    const catalog = buildPlanCatalog({ overrides: '', maxUploadBytes: 512 * 1024 * 1024 });
    expect(catalog.plans.map((plan) => plan.name)).toEqual(['free', 'pro', 'enterprise']);
    expect(catalog.limitsOf('free')).toEqual({ ...defaultPlanLimits.free, max_file_bytes: 50 * 1024 * 1024 });
    expect(catalog.limitsOf('pro').max_file_bytes).toBe(512 * 1024 * 1024);
    expect(catalog.limitsOf('enterprise')).toMatchObject({ requests_per_minute: 6000, concurrent_jobs: 500, preserve_metadata: true });
    expect(buildPlanCatalog({ overrides: '', maxUploadBytes: 20 * GiB }).limitsOf('enterprise').max_file_bytes).toBe(10 * GiB);
  });

  it('merges PLAN_LIMITS overrides over the defaults, plan by plan and limit by limit', () => {
    const catalog = buildPlanCatalog({
      overrides: '{"free":{"requests_per_minute":3,"preserve_metadata":true},"pro":{"bulk_max":10}}',
      maxUploadBytes: 20 * GiB,
    });
    expect(catalog.limitsOf('free')).toEqual({ ...defaultPlanLimits.free, requests_per_minute: 3, preserve_metadata: true });
    expect(catalog.limitsOf('pro')).toEqual({ ...defaultPlanLimits.pro, bulk_max: 10 });
    expect(catalog.limitsOf('enterprise')).toEqual(defaultPlanLimits.enterprise);
  });

  it.each([
    ['{"free":', /PLAN_LIMITS is not JSON/],
    ['{"gold":{"bulk_max":3}}', /PLAN_LIMITS .*gold/],
    ['{"free":{"requests_per_minute":0}}', /PLAN_LIMITS free\.requests_per_minute: /],
    ['{"free":{"requests_per_minute":"many"}}', /PLAN_LIMITS free\.requests_per_minute: Expected number/],
    ['{"free":{"max_upload":1}}', /PLAN_LIMITS .*max_upload/],
    ['[1]', /PLAN_LIMITS \(top level\)/],
  ])('refuses the override %s with a message that names the problem', (overrides, message) => {
    expect(() => buildPlanCatalog({ overrides, maxUploadBytes: GiB })).toThrow(message);
  });
});

describe('defaultPlanDirectory', () => {
  it("answers the gateway's plan, else the default one", async () => {
    const directory = defaultPlanDirectory('pro');
    expect(await directory.planOf({ orgId: 'o1' })).toBe('pro');
    expect(await directory.planOf({ orgId: 'o1', planHint: 'enterprise' })).toBe('enterprise');
  });
});
