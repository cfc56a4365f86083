import type { FastifyInstance } from 'fastify';
import client from 'prom-client';

/** Prometheus metrics: request counts and latencies per route, plus the process's own. */
export function registerMetrics(app: FastifyInstance): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'http_requests_total', help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status_code'] as const, registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const, registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: raw URLs carry codes and would explode cardinality.
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  return registry;
}
