import type { Meter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

/**
 * Times every answered request by method, route pattern (never the raw URL, whose ids would
 * make a series per file) and status: `http_server_request_duration_seconds` once exported.
 */
export function recordRequestDurations(app: FastifyInstance, meter: Meter): void {
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Time from a request’s arrival to the end of its answer.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] },
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
    });
  });
}
