import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { reconcile } from '../../../services/reconcile-service.js';
import { authorize } from '../../staff-auth.js';
import { errorResponses, Nullable } from '../../schemas.js';

const Int = Nullable(Type.Integer());

export const adminReconcileRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/admin/reconcile', {
    schema: {
      operationId: 'reconcile', tags: ['admin'], summary: 'Verify that every slot counter and clinic-day summary equals the rows it counts',
      security: [{ bearer: [] }],
      response: {
        200: Type.Object({
          ok: Type.Boolean(), checkedAt: Type.String(), seconds: Type.Number(),
          counterDrift: Type.Array(Type.Object({ slot_id: Type.Integer(), booked: Type.Integer(), held: Type.Integer(), active_appointments: Type.Integer(), active_hold_seats: Type.Integer() })),
          summaryDrift: Type.Array(Type.Object({ clinic_day_id: Type.Integer(), product_id: Type.Integer(), summary_capacity: Int, summary_taken: Int, slot_capacity: Int, slot_taken: Int })),
        }),
        401: Type.Ref('Error'),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'reconcile.run', {});
    return reconcile(pool);
  });
};
