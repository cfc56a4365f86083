import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as days from '../../../db/repositories/clinic-day-repository.js';
import { addDays } from '../../../domain/calendar.js';
import { clinicOf, NotFound } from '../../../services/clinic-ops-service.js';
import { ApiError } from '../../errors.js';
import { Day, errorResponses } from '../../schemas.js';
import { authorize } from '../../staff-auth.js';

const Range = Type.Object({ from: Day, to: Type.Optional({ ...Day, description: 'default: from (one day)' }) });

/** The publish gate: a clinic-day is public only once a manager marks it staffed and stocked. */
export const staffClinicDayRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const place = async (clinicId: number) => {
    try {
      const c = await clinicOf(pool, clinicId);
      return { clinicId, regionId: c.region_id };
    } catch (err) {
      if (err instanceof NotFound) throw new ApiError(404, 'clinic_not_found', { en: 'There is no such clinic.', fr: "Cette clinique n'existe pas." });
      throw err;
    }
  };
  const range = (b: { from: string; to?: string }) => {
    const to = b.to ?? b.from;
    if (to < b.from) throw new ApiError(400, 'invalid_input', { en: 'The end date must be on or after the start date.', fr: 'La date de fin doit suivre la date de début.' }, 'to');
    if (to > addDays(b.from, 92)) throw new ApiError(400, 'invalid_input', { en: 'At most 93 days at a time.', fr: 'Au plus 93 jours à la fois.' }, 'to');
    return to;
  };

  r.get('/api/v1/staff/clinics/:clinicId/days', {
    schema: {
      operationId: 'listClinicDays', tags: ['staff'], summary: "A clinic's days: published or not, cancelled, capacity and booked",
      params: Type.Object({ clinicId: Type.Integer() }), querystring: Range,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ day: Type.String(), published: Type.Boolean(), cancelled: Type.Boolean(), capacity: Type.Integer(), booked: Type.Integer() })) }), ...errorResponses },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'roster.read', await place(req.params.clinicId));
    return { items: await days.clinicDays(pool, req.params.clinicId, req.query.from, range(req.query)) };
  });

  for (const publish of [true, false]) {
    r.post(`/api/v1/staff/clinics/:clinicId/days/${publish ? 'publish' : 'unpublish'}`, {
      schema: {
        operationId: publish ? 'publishClinicDays' : 'unpublishClinicDays', tags: ['staff'],
        summary: publish ? 'Marks days staffed and stocked: their free places become public at once'
          : 'Takes days off the public: no new bookings; appointments already made stay',
        params: Type.Object({ clinicId: Type.Integer() }), body: Range,
        response: { 200: Type.Object({ changed: Type.Array(Type.String()) }), ...errorResponses },
      },
    }, async (req) => {
      await authorize(req, pool, adminToken, 'clinicDay.publish', await place(req.params.clinicId), { detail: { publish, from: req.body.from, to: req.body.to ?? null } });
      const changed = await days.setPublished(pool, req.params.clinicId, req.body.from, range(req.body), publish);
      return { changed };
    });
  }
};
