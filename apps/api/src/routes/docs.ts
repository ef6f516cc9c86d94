import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document at /openapi.json, generated from the schemas the routes validate with,
 * and Swagger UI at /docs. Registered before the routes so that it sees every one of them.
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Conveyor', version: '0.1.0', description: 'Self-hosted file conversion: upload a file, get it back in another format.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An anonymous session token from POST /api/anon/session.' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A key from POST /api/api-keys; it may do what its scopes allow.' },
          gateway: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Gateway-Key',
            description: 'For an authenticating gateway: with it, X-Auth-Org-Id, X-Auth-User-Id, X-Auth-Role (and X-Auth-Plan) name the caller.',
          },
        },
      },
      // Any one of the three identifies the caller.
      security: [{ bearer: [] }, { apiKey: [] }, { gateway: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
