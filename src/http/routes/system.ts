import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { readiness } from '../../services/health-service.js';
import { serviceStatus, STATUS_CACHE_SECONDS } from '../../services/status-service.js';
import { fileResponse } from '../schemas.js';

export const systemRoutes: FastifyPluginAsync<{ pool: pg.Pool; metrics: Registry }> = async (app, { pool, metrics }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/health', {
    schema: {
      operationId: 'getHealth', tags: ['system'], summary: 'Liveness: the process answers',
      response: { 200: Type.Object({ status: Type.Literal('ok') }) },
    },
  }, async () => ({ status: 'ok' as const }));

  r.get('/ready', {
    schema: {
      operationId: 'getReadiness', tags: ['system'],
      summary: 'Readiness: the database is reachable and every migration is applied',
      response: {
        200: Type.Object({ ready: Type.Boolean(), database: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
        503: Type.Object({ ready: Type.Boolean(), database: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
      },
    },
  }, async (_req, reply) => {
    const state = await readiness(pool);
    return reply.status(state.ready ? 200 : 503).send(state);
  });

  const Status = Type.Union([Type.Literal('operational'), Type.Literal('delayed'), Type.Literal('disrupted'), Type.Literal('unknown')]);
  r.get('/api/v1/status', {
    schema: {
      operationId: 'getServiceStatus', tags: ['system'],
      summary: 'Public service status: booking, and the delivery of e-mail, SMS and letters (how many wait, how late)',
      description: 'operational; delayed (e-mail or SMS due 5 minutes ago still waiting, or many retries; letters after 26 h); '
        + 'disrupted (30 minutes; letters 50 h; booking: the database does not answer). Held SMS (quiet hours) are not late.',
      response: {
        200: Type.Object({
          status: Status, checkedAt: Type.String({ format: 'date-time' }),
          components: Type.Array(Type.Object({
            id: Type.Union([Type.Literal('booking'), Type.Literal('email'), Type.Literal('sms'), Type.Literal('letter')]), status: Status,
            waiting: Type.Optional(Type.Integer({ description: 'messages not yet sent' })),
            delayMinutes: Type.Optional(Type.Integer({ description: 'how long the oldest message due has waited' })),
          })),
        }),
      },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', `public, max-age=${STATUS_CACHE_SECONDS}`);
    return serviceStatus(pool);
  });

  r.get('/metrics', {
    schema: {
      operationId: 'getMetrics', tags: ['system'], summary: 'Prometheus metrics (text exposition format)',
      response: { 200: fileResponse('text/plain', 'The metrics in the Prometheus text format') },
    },
  }, async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });
};
