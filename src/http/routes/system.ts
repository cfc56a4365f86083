import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { readiness } from '../../services/health-service.js';

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

  r.get('/metrics', {
    schema: {
      operationId: 'getMetrics', tags: ['system'], summary: 'Prometheus metrics (text exposition format)',
      produces: ['text/plain'],
      response: { 200: Type.String() },
    },
  }, async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });
};
