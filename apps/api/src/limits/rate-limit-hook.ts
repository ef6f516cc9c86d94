import type { RateLimitDecision } from '@conveyor/core';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onRouteHookHandler } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { retryableError } from './retry-after.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** True on routes counted against their org's plan (set by `countRequestsPerOrg`), which the per-address limit leaves alone. */
    countedPerOrg?: boolean;
  }
}

/**
 * Routes that must answer even to a caller over its limit: monitors probe health, and the API's
 * documentation is how a refused caller finds out why. They report the caller's standing without counting.
 */
function isNeverRefused(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route === '/api/health' || route === '/openapi.json' || route === '/docs' || route?.startsWith('/docs/') === true;
}

/**
 * Counts the request against `key` (`take`), or only looks where `key` stands (`peek`). The limiter's
 * store is the database: when it fails, the request goes through uncounted rather than failing
 * with it, and the failure is logged.
 */
async function standing(deps: ApiDependencies, request: FastifyRequest, key: string, limit: number, how: 'take' | 'peek'): Promise<RateLimitDecision> {
  try {
    return await deps.rateLimiter[how](key, limit);
  } catch (error) {
    request.log.error({ err: error, rate_limit_key: key }, 'rate limit not checked: its store failed; request let through');
    return deps.rateLimiter.uncounted(limit);
  }
}

/** Reports the standing in the `X-RateLimit-*` headers; refuses the request with 429 when it is over the limit. */
function enforce(reply: FastifyReply, decision: RateLimitDecision, whose: string): void {
  void reply
    .header('x-ratelimit-limit', decision.limit)
    .header('x-ratelimit-remaining', decision.remaining)
    .header('x-ratelimit-reset', decision.resetSeconds);
  if (decision.allowed) return;
  throw retryableError(
    'rate_limit_exceeded',
    `rate limit exceeded: ${whose} may make ${decision.limit} requests per minute; retry in ${decision.resetSeconds} s`,
    decision.resetSeconds,
  );
}

/**
 * An onRoute hook that marks the routes registered after it as counted per org, so that
 * `limitRequestsPerAddress` leaves them to `limitRequestsPerOrg`. Add it in the authenticated
 * scope before its routes.
 */
export const countRequestsPerOrg: onRouteHookHandler = (route) => {
  route.config = { ...route.config, countedPerOrg: true };
};

/**
 * An onRequest hook for authenticated routes: counts the request against the org's plan
 * (`requests_per_minute`), over every api process. Add it after the authentication hook,
 * which sets `request.identity`.
 */
export function limitRequestsPerOrg(deps: ApiDependencies): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const { orgId, planHint } = request.identity;
    const plan = await deps.plans.directory.planOf({ orgId, planHint });
    const limit = deps.plans.catalog.limitsOf(plan).requests_per_minute;
    enforce(reply, await standing(deps, request, `org:${orgId}`, limit, 'take'), `an org on the ${plan} plan`);
  };
}

/**
 * A global onRequest hook for callers without a session: counts the request against the
 * caller's address (`RATE_LIMIT_PUBLIC_PER_MINUTE`). Routes marked by `countRequestsPerOrg`
 * are left alone; health and the documentation are reported on but never refused.
 */
export function limitRequestsPerAddress(deps: ApiDependencies): onRequestAsyncHookHandler {
  return async (request, reply) => {
    if (request.routeOptions.config.countedPerOrg) return;
    const limit = deps.config.plans.publicRequestsPerMinute;
    enforce(reply, await standing(deps, request, `ip:${request.ip}`, limit, isNeverRefused(request) ? 'peek' : 'take'), 'one address');
  };
}

/**
 * Wraps the authentication hook: a request it refuses is counted against the caller's address
 * (`RATE_LIMIT_PUBLIC_PER_MINUTE`), so that its 401 carries the rate-limit headers too and
 * guessing credentials is held to the same limit as any unidentified caller.
 */
export function countFailedAuthentication(deps: ApiDependencies, authenticate: onRequestAsyncHookHandler): onRequestAsyncHookHandler {
  return async function authenticateCountingFailures(request, reply) {
    try {
      await authenticate.call(this, request, reply);
    } catch (error) {
      const limit = deps.config.plans.publicRequestsPerMinute;
      enforce(reply, await standing(deps, request, `ip:${request.ip}`, limit, 'take'), 'one address');
      throw error;
    }
  };
}
