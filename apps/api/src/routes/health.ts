import type { HealthReport } from '../dependencies.js';
import type { RoutePlugin } from './route-plugin.js';

/** Liveness for monitors: 200 when every dependency answers, 503 naming what does not. */
export const healthRoutes: RoutePlugin = async (app, { deps }) => {
  app.get('/api/health', { schema: { tags: ['Ops'], summary: 'Liveness check.', security: [] } }, async (_request, reply) => {
    const report: HealthReport = await deps.health().catch((error: Error) => ({ ok: false, checks: { health: error.message } }));
    const healthy = report.ok && Object.values(report.checks).every((check) => check === 'ok');
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks: report.checks });
  });
};
