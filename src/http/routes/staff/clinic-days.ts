import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as days from '../../../db/repositories/clinic-day-repository.js';
import { addDays } from '../../../domain/calendar.js';
import { clinicOf, NotFound } from '../../../services/clinic-ops-service.js';
import * as capacity from '../../../services/capacity-service.js';
import { cancelDays } from '../../../services/clinic-day-service.js';
import { ApiError } from '../../errors.js';
import { ClinicTime, Day, errorResponses, Id, Nullable, VisibleText } from '../../schemas.js';
import { authorize, signInFirst } from '../../staff-auth.js';

const Range = Type.Object({ from: Day, to: Type.Optional({ ...Day, description: 'default: from (one day)' }) });

/**
 * Running a clinic's days: sessions and supply, the publish gate (a day is
 * public only once a manager marks it staffed and stocked), and cancelling days.
 */
export const staffClinicDayRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
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
      params: Type.Object({ clinicId: Id() }), querystring: Range,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ day: Day, published: Type.Boolean(), cancelled: Type.Boolean(), capacity: Type.Integer(), booked: Type.Integer() })) }), ...errorResponses },
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
        params: Type.Object({ clinicId: Id() }), body: Range,
        response: { 200: Type.Object({ changed: Type.Array(Type.String()) }), ...errorResponses },
      },
    }, async (req) => {
      await authorize(req, pool, adminToken, 'clinicDay.publish', await place(req.params.clinicId), { detail: { publish, from: req.body.from, to: req.body.to ?? null } });
      const changed = await days.setPublished(pool, req.params.clinicId, req.body.from, range(req.body), publish);
      return { changed };
    });
  }

  const ClinicParams = Type.Object({ clinicId: Id() });
  const Session = Type.Object({
    id: Type.Integer(), day: Day, start: Type.String(), end: Type.String(), product: Type.String(), stations: Type.Integer(),
    minutesPerAppointment: Type.Integer(), capacity: Type.Integer(), booked: Type.Integer(), published: Type.Boolean(), cancelled: Type.Boolean(),
  });

  r.get('/api/v1/staff/clinics/:clinicId/sessions', {
    schema: {
      operationId: 'listSessions', tags: ['staff'], summary: "A clinic's sessions in a range, with capacity and bookings",
      params: ClinicParams, querystring: Range, response: { 200: Type.Object({ items: Type.Array(Session) }), ...errorResponses },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'session.manage', await place(req.params.clinicId));
    const rows = await capacity.sessionsOf(pool, req.params.clinicId, req.query.from, range(req.query));
    return { items: rows.map((x) => ({ id: x.id, day: x.day, start: x.start, end: x.end, product: x.product_code, stations: x.stations,
      minutesPerAppointment: x.minutes, capacity: x.capacity, booked: x.booked, published: x.published, cancelled: x.cancelled })) };
  });

  r.post('/api/v1/staff/clinics/:clinicId/sessions', {
    schema: {
      operationId: 'createSession', tags: ['staff'], summary: 'A session (a shift): local hours, product, stations and minutes per appointment give its slots; the day stays unpublished',
      params: ClinicParams,
      body: Type.Object({
        day: Day, start: Type.String({ description: 'HH:MM, clinic time' }), end: Type.String({ description: 'HH:MM, clinic time' }), product: Type.String({ maxLength: 40 }),
        stations: Type.Integer({ minimum: 1, maximum: 500 }), minutesPerAppointment: Type.Integer({ minimum: 1, maximum: 240 }),
      }),
      response: { 201: Type.Object({ sessionId: Type.Integer(), slots: Type.Integer(), capacity: Type.Integer() }), ...errorResponses },
    },
  }, async (req, reply) => {
    await authorize(req, pool, adminToken, 'session.manage', await place(req.params.clinicId), { detail: { day: req.body.day } });
    return reply.code(201).send(await capacity.createSession(pool, req.params.clinicId, req.body));
  });

  r.post('/api/v1/staff/clinics/:clinicId/sessions/copy-week', {
    schema: {
      operationId: 'copySessionWeek', tags: ['staff'], summary: 'Copies the sessions of a week (7 days from fromWeek) to the week starting toWeek: all or none, unpublished',
      params: ClinicParams, body: Type.Object({ fromWeek: Day, toWeek: Day }),
      response: { 201: Type.Object({ sessions: Type.Integer(), slots: Type.Integer() }), ...errorResponses },
    },
  }, async (req, reply) => {
    await authorize(req, pool, adminToken, 'session.manage', await place(req.params.clinicId), { detail: { ...req.body } });
    return reply.code(201).send(await capacity.copyWeek(pool, req.params.clinicId, req.body.fromWeek, req.body.toWeek));
  });

  const Supply = Type.Object({ items: Type.Array(Type.Object({ product: Type.String(), productName: Type.String(), doses: Nullable(Type.Integer()), booked: Type.Integer(),
    short: Type.Boolean({ description: 'appointments to come exceed the doses expected' }) })) });

  r.get('/api/v1/staff/clinics/:clinicId/supply', {
    schema: { operationId: 'getSupply', tags: ['staff'], summary: 'Vaccine supply per product against the appointments to come', params: ClinicParams, response: { 200: Supply, ...errorResponses } },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'supply.manage', await place(req.params.clinicId));
    return { items: await capacity.supply(pool, req.params.clinicId) };
  });

  r.put('/api/v1/staff/clinics/:clinicId/supply', {
    schema: {
      operationId: 'setSupply', tags: ['staff'], summary: 'Sets the doses a clinic expects of a product',
      params: ClinicParams, body: Type.Object({ product: Type.String({ maxLength: 40 }), doses: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }),
      response: { 200: Supply, ...errorResponses },
    },
  }, async (req) => {
    const c = await authorize(req, pool, adminToken, 'supply.manage', await place(req.params.clinicId), { detail: { ...req.body } });
    return { items: await capacity.setSupply(pool, req.params.clinicId, req.body.product, req.body.doses, c.staffId) };
  });

  r.post('/api/v1/staff/clinics/:clinicId/days/cancel', {
    schema: {
      operationId: 'cancelClinicDays', tags: ['staff'],
      summary: 'Cancels days with a reason: closed to bookings at once; each appointment is moved to (auto) or offered (offer) the nearest equivalent time that keeps its dose interval, the rest cancelled',
      params: ClinicParams,
      body: Type.Object({ ...Range.properties, reason: VisibleText(300, { minLength: 3 }), rebook: Type.Union([Type.Literal('offer'), Type.Literal('auto')], { default: 'offer' }) }),
      response: {
        200: Type.Object({
          days: Type.Array(Type.String()), cancelledAppointments: Type.Integer(),
          affected: Type.Array(Type.Object({
            confirmationCode: Type.String(), dose: Type.Integer(), people: Type.Array(Type.String()), was: ClinicTime(),
            outcome: Type.String({ description: 'moved, offered or cancelled' }),
            replacement: Nullable(Type.Object({ slotId: Type.Integer(), startsAt: ClinicTime(), day: Day, clinicId: Type.Integer(), clinicName: Type.String(), distanceKm: Type.Number() })),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'clinicDay.cancel', await place(req.params.clinicId), { reason: req.body.reason, detail: { from: req.body.from, to: req.body.to ?? null, rebook: req.body.rebook } });
    return cancelDays(pool, req.params.clinicId, req.body.from, range(req.body), req.body.reason, req.body.rebook);
  });
};
