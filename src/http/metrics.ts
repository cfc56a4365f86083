import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { SEVERITY } from '../domain/service-status.js';
import type { ServiceStatus } from '../services/status-service.js';

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

/**
 * Messages by channel and status, and how long the oldest has waited, read
 * when scraped: an alert on dead letters or a growing backlog shows a failing
 * provider before people call to ask where their confirmation is.
 */
export function registerMessageMetrics(registry: client.Registry, summary: () => Promise<{ counts: Array<{ channel: string; status: string; count: number }>; oldestWaitingAt: string | null }>): void {
  new client.Gauge({
    name: 'vaxbook_messages', help: 'Messages in the outbox by channel and status', labelNames: ['channel', 'status'] as const, registers: [registry],
    async collect() {
      this.reset();
      const s = await summary();
      for (const c of s.counts) this.set({ channel: c.channel, status: c.status }, c.count);
      oldest.set(s.oldestWaitingAt ? (Date.now() - Date.parse(s.oldestWaitingAt)) / 1000 : 0);
    },
  });
  const oldest = new client.Gauge({ name: 'vaxbook_messages_oldest_waiting_seconds', help: 'Age of the oldest message not yet sent (0: none waiting)', registers: [registry] });
}

/** The public service status as gauges to alert on: 0 operational, 1 unknown, 2 delayed, 3 disrupted. */
export function registerStatusMetrics(registry: client.Registry, status: () => Promise<ServiceStatus>): void {
  // Each gauge reads the status itself (cached for 15 s): prom-client collects them one by one.
  new client.Gauge({
    name: 'vaxbook_service_status', help: 'Service status by component (0 operational, 1 unknown, 2 delayed, 3 disrupted), as GET /api/v1/status',
    labelNames: ['component'] as const, registers: [registry],
    async collect() {
      for (const c of (await status()).components) this.set({ component: c.id }, SEVERITY[c.status]);
    },
  });
  new client.Gauge({
    name: 'vaxbook_message_delay_minutes', help: 'How long the oldest message due on a channel has waited', labelNames: ['channel'] as const, registers: [registry],
    async collect() {
      for (const c of (await status()).components) if (c.id !== 'booking' && c.delayMinutes !== undefined) this.set({ channel: c.id }, c.delayMinutes);
    },
  });
}
