import { metricsPath } from '@conveyor/core';
import type { RoutePlugin } from './route-plugin.js';

/**
 * `GET /metrics`: this process's metrics in Prometheus's text format, for a scraper. Like the
 * health route it needs no credentials; keep it off the public internet at the proxy.
 */
export const metricsRoutes: RoutePlugin = async (app, { deps }) => {
  app.get(metricsPath, { schema: { tags: ['Ops'], summary: 'Prometheus metrics of this process.' } }, (request, reply) => {
    // The exporter writes the answer itself.
    reply.hijack();
    deps.telemetry.serveScrape(request.raw, reply.raw);
  });
};
