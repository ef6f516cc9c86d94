import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDependencies } from './dependencies.js';
import { renderError, renderNotFound } from './error-handler.js';
import { authenticate } from './identity/authenticate.js';
import { conversionJobRoutes } from './routes/conversion-jobs.js';
import { convertRoutes } from './routes/convert.js';
import { registerApiDocs } from './routes/docs.js';
import { fileConversionRoutes } from './routes/file-conversions.js';
import { fileMetadataRoutes, metadataHelpRoutes } from './routes/file-metadata.js';
import { fileRoutes } from './routes/files.js';
import { formatRoutes } from './routes/formats.js';
import { healthRoutes } from './routes/health.js';
import { pdfToolRoutes } from './routes/pdf-tools.js';
import type { RoutePlugin } from './routes/route-plugin.js';
import { sessionRoutes } from './routes/session.js';

/** Routes that only callers with a session may use; encapsulated so the auth hook covers them alone. */
const authenticatedRoutes: RoutePlugin = async (app, options) => {
  app.decorateRequest('identity', undefined as never);
  app.addHook('onRequest', authenticate(options.deps));
  await app.register(convertRoutes, options);
  await app.register(conversionJobRoutes, options);
  await app.register(fileRoutes, options);
  await app.register(fileConversionRoutes, options);
  await app.register(pdfToolRoutes, options);
  await app.register(fileMetadataRoutes, options);
};

/**
 * Builds the native HTTP API (`/api/…`) over its dependencies. The server is not listening:
 * the caller calls `listen` and `close`.
 *
 * @example
 * const app = await buildApiServer(deps);
 * await app.listen({ port: deps.config.http.port, host: deps.config.http.host });
 */
export async function buildApiServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    // Typed as Fastify's logger interface so that the instance is a plain FastifyInstance.
    loggerInstance: httpLogger(deps.logger) as FastifyBaseLogger,
    // Client-sent ids are not trusted: every request gets one of ours, echoed as X-Request-Id.
    requestIdHeader: false,
    genReqId: () => deps.ids.next(),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(renderError);
  app.setNotFoundHandler(renderNotFound);

  const options = { deps };
  await registerApiDocs(app);
  await app.register(healthRoutes, options);
  await app.register(sessionRoutes, options);
  await app.register(formatRoutes, options);
  await app.register(metadataHelpRoutes, options);
  await app.register(authenticatedRoutes, options);
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
