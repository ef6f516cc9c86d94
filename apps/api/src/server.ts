import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import type { TrustedProxies } from '@conveyor/core';
import type { ApiDependencies } from './dependencies.js';
import { renderError, renderNotFound } from './error-handler.js';
import { authenticate } from './identity/authenticate.js';
import { authorize } from './identity/authorize.js';
import { recordRequestDurations } from './http-metrics.js';
import { countFailedAuthentication, countRequestsPerOrg, limitRequestsPerAddress, limitRequestsPerOrg } from './limits/rate-limit-hook.js';
import { announceRetryAfter } from './limits/retry-after.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { authMeRoutes } from './routes/auth-me.js';
import { convertRoutes } from './routes/convert.js';
import { registerApiDocs } from './routes/docs.js';
import { fileConversionRoutes } from './routes/file-conversions.js';
import { fileMetadataRoutes, metadataHelpRoutes } from './routes/file-metadata.js';
import { fileLinkRoutes } from './routes/file-links.js';
import { fileRoutes } from './routes/files.js';
import { formatRoutes } from './routes/formats.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { metaRoutes } from './routes/meta.js';
import { pdfToolRoutes } from './routes/pdf-tools.js';
import { resourceRoutes } from './resources/resource-routes.js';
import type { RoutePlugin } from './routes/route-plugin.js';
import { sessionRoutes } from './routes/session.js';
import { sharedFileRoutes } from './routes/shared-files.js';
import { uploadRoutes } from './routes/uploads.js';
import { usageRoutes } from './routes/usage.js';
import { webPageRoutes } from './routes/web-page.js';

/** Routes that only identified callers may use; encapsulated so the auth hooks cover them alone. */
const authenticatedRoutes: RoutePlugin = async (app, options) => {
  app.decorateRequest('identity', undefined as never);
  app.addHook('onRequest', countFailedAuthentication(options.deps, authenticate(options.deps)));
  app.addHook('onRoute', countRequestsPerOrg);
  app.addHook('onRequest', limitRequestsPerOrg(options.deps));
  app.addHook('onRequest', authorize);
  await app.register(authMeRoutes, options);
  await app.register(apiKeyRoutes, options);
  await app.register(convertRoutes, options);
  await app.register(resourceRoutes, options);
  await app.register(metaRoutes, options);
  await app.register(fileRoutes, options);
  await app.register(fileLinkRoutes, options);
  await app.register(fileConversionRoutes, options);
  await app.register(pdfToolRoutes, options);
  await app.register(fileMetadataRoutes, options);
  await app.register(usageRoutes, options);
  await app.register(auditRoutes, options);
  await app.register(uploadRoutes, options);
};

export interface ApiServerOptions {
  /** Sees every route as it is registered: how a caller can take an inventory of the API's surface. */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Builds the native HTTP API (`/api/…`) over its dependencies. The server is not listening:
 * the caller calls `listen` and `close`.
 *
 * @example
 * const app = await buildApiServer(deps);
 * await app.listen({ port: deps.config.http.port, host: deps.config.http.host });
 */
export async function buildApiServer(deps: ApiDependencies, options: ApiServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Typed as Fastify's logger interface so that the instance is a plain FastifyInstance.
    loggerInstance: httpLogger(deps.logger) as FastifyBaseLogger,
    // Client-sent ids are not trusted: every request gets one of ours, echoed as X-Request-Id.
    requestIdHeader: false,
    genReqId: () => deps.ids.next(),
    // request.ip (and so the rate limit per address) is the client a trusted proxy names, else the peer.
    trustProxy: fastifyTrustProxy(deps.config.http.trustProxy),
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onRequest', limitRequestsPerAddress(deps));
  recordRequestDurations(app, deps.telemetry.meter);
  app.addHook('onError', announceRetryAfter);
  app.setErrorHandler(renderError);
  app.setNotFoundHandler(renderNotFound);

  const routeOptions = { deps };
  await registerApiDocs(app);
  await app.register(healthRoutes, routeOptions);
  await app.register(metricsRoutes, routeOptions);
  await app.register(sessionRoutes, routeOptions);
  await app.register(formatRoutes, routeOptions);
  await app.register(metadataHelpRoutes, routeOptions);
  await app.register(sharedFileRoutes, routeOptions);
  await app.register(webPageRoutes, routeOptions);
  await app.register(authenticatedRoutes, routeOptions);
  return app;
}

/**
 * Fastify logs a line per request at info level, which would dominate the log: its logger
 * starts at warn unless debugging is asked for. Errors are still logged.
 */
function httpLogger(logger: ApiDependencies['logger']): ApiDependencies['logger'] {
  const debugging = logger.isLevelEnabled('debug');
  return logger.child({ component: 'http' }, { level: debugging ? logger.level : 'warn' });
}

/** Fastify runs a hop count as proxy-addr does (the nearest `hops` peers are trusted), but its types take it only as a function. */
function fastifyTrustProxy(trusted: TrustedProxies): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trusted !== 'number') return trusted;
  return (_address, hop) => hop < trusted;
}
