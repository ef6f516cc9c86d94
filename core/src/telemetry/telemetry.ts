import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** The path Prometheus scrapes, on the API's port or on a process's own metrics port. */
export const metricsPath = '/metrics';

/**
 * One process's metrics: instruments are made from `meter`, and read in Prometheus's text
 * format when scraped. Nothing is pushed anywhere; nothing is kept beyond the current values.
 */
export class Telemetry {
  readonly meter: Meter;
  readonly #exporter: PrometheusExporter;
  readonly #provider: MeterProvider;
  #server: Server | undefined;

  constructor() {
    // Served through our own routes (the API's, or `listen`), never the exporter's server.
    this.#exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    this.#provider = new MeterProvider({ readers: [this.#exporter] });
    this.meter = this.#provider.getMeter('conveyor');
    observeProcess(this.meter);
  }

  /** Answers a scrape on a request already routed here. */
  serveScrape(request: IncomingMessage, response: ServerResponse): void {
    this.#exporter.getMetricsRequestHandler(request, response);
  }

  /**
   * Serves `GET /metrics` on a port of its own, for a process that serves no HTTP (a worker);
   * resolves to the port it listens on.
   */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((request, response) => {
      if (request.method === 'GET' && request.url?.split('?')[0] === metricsPath) return this.serveScrape(request, response);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.#server = server;
    return (server.address() as AddressInfo).port;
  }

  async shutdown(): Promise<void> {
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.#provider.shutdown();
  }
}

/** Memory, as an operator watching for leaks or for a limit wants it. */
function observeProcess(meter: Meter): void {
  const resident = meter.createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size of the process.' });
  const heap = meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use.' });
  meter.addBatchObservableCallback(
    (observer) => {
      const usage = process.memoryUsage();
      observer.observe(resident, usage.rss);
      observer.observe(heap, usage.heapUsed);
    },
    [resident, heap],
  );
}
