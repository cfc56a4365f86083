import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as clinic from '../../../services/clinic-ops-service.js';
import { appointmentPlace } from '../../../db/repositories/clinic-ops-repository.js';
import type { Operation } from '../../../domain/staff-policy.js';
import { clinicTime } from '../../../domain/calendar.js';
import { ApiError } from '../../errors.js';
import { BigId, ClinicTime, Day, errorResponses, Id, MobileNumber, Nullable, PersonName } from '../../schemas.js';
import { authorize, signInFirst } from '../../staff-auth.js';
import { answer, Appointment, conflictResponses } from '../public/bookings.js';

const RosterLine = Type.Object({
  appointmentId: Type.String(), confirmationCode: Type.String(), personId: Type.String(), givenName: Type.String(), familyName: Type.String(),
  dateOfBirth: Type.String(), identifier: Type.String(), needsIdentityVerification: Type.Boolean(), dose: Type.Integer(), product: Type.String(),
  productName: Type.String(), startsAt: ClinicTime(), status: Type.String(), checkedInAt: Nullable(Type.String()),
});
const line = (r: Awaited<ReturnType<typeof clinic.roster>>[number]) => ({
  appointmentId: r.appointment_id, confirmationCode: r.booking_code, personId: r.person_id, givenName: r.given_name, familyName: r.family_name,
  dateOfBirth: r.date_of_birth, identifier: r.identifier, needsIdentityVerification: r.needs_identity_verification, dose: r.dose_number,
  product: r.product_code, productName: r.product_name, startsAt: clinicTime(r.starts_at, r.time_zone), status: r.status, checkedInAt: r.checked_in_at?.toISOString() ?? null,
});
const Administration = Type.Object({
  product: Type.Optional(Type.String({ maxLength: 40, description: 'default: the appointment’s product' })),
  lotNumber: Type.String({ maxLength: 40 }), lotExpiry: Day,
  site: Type.String({ description: clinic.INJECTION_SITES.join(', ') }), administeredAt: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
});

/** Maps the clinic service's refusals to HTTP. */
async function run<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof clinic.NotFound) {
      const m = { clinic: { en: 'There is no such clinic.', fr: "Cette clinique n'existe pas." }, appointment: { en: 'There is no such appointment.', fr: "Ce rendez-vous n'existe pas." },
        person: { en: 'There is no such person.', fr: "Cette personne n'existe pas." },
        arrival: { en: 'No appointment today at this clinic matches. Check the details, or register a walk-in.', fr: "Aucun rendez-vous aujourd'hui dans cette clinique ne correspond. Vérifiez les renseignements, ou inscrivez une personne sans rendez-vous." } }[err.what];
      throw new ApiError(404, `${err.what}_not_found`, m);
    }
    if (err instanceof clinic.Conflict) throw new ApiError(409, err.code, err.messages);
    throw err;
  }
}

/** The clinic console's operations; each is allowed only at the staff member's own clinics (or regions). */
export const staffClinicRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const atClinic = async (req: FastifyRequest, op: Operation, clinicId: number, facts: Parameters<typeof authorize>[5] = {}) => {
    const c = await run(() => clinic.clinicOf(pool, clinicId));
    return authorize(req, pool, adminToken, op, { clinicId, regionId: c.region_id }, facts);
  };
  const atAppointment = async (req: FastifyRequest, op: Operation, id: string) => {
    const a = await appointmentPlace(pool, id);
    if (!a) throw new ApiError(404, 'appointment_not_found', { en: 'There is no such appointment.', fr: "Ce rendez-vous n'existe pas." });
    return authorize(req, pool, adminToken, op, { clinicId: a.clinic_id, regionId: a.region_id }, { personId: Number(a.person_id), bookingCode: a.booking_code, detail: { appointment: id } });
  };
  const Clinic = Type.Object({ clinicId: Id() });
  const Appt = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

  r.get('/api/v1/staff/clinics/:clinicId/roster', {
    schema: {
      operationId: 'getRoster', tags: ['staff'], summary: "A clinic's appointments for a day, by time; q finds a name, code or card number",
      params: Clinic, querystring: Type.Object({ day: Type.Optional(Day), q: Type.Optional(Type.String({ maxLength: 60 })) }),
      response: { 200: Type.Object({ day: Day, items: Type.Array(RosterLine) }), ...errorResponses },
    },
  }, async (req) => {
    await atClinic(req, 'roster.read', req.params.clinicId, { detail: { day: req.query.day ?? null } });
    const day = req.query.day ?? await clinic.clinicToday(pool, req.params.clinicId);
    return { day, items: (await clinic.roster(pool, req.params.clinicId, day, req.query.q)).map(line) };
  });

  r.post('/api/v1/staff/clinics/:clinicId/check-in', {
    schema: {
      operationId: 'checkIn', tags: ['staff'], summary: "Checks in today's appointments of whoever arrived: by confirmation code (typed or from the QR), card number, or names — each with the date of birth",
      params: Clinic,
      body: Type.Object({
        confirmationCode: Type.Optional(Type.String({ maxLength: 40 })), identifier: Type.Optional(Type.String({ maxLength: 40 })),
        givenName: Type.Optional(Type.String({ maxLength: 100 })), familyName: Type.Optional(Type.String({ maxLength: 100 })), dateOfBirth: Type.Optional(Day),
      }),
      response: { 200: Type.Object({ items: Type.Array(RosterLine) }), ...errorResponses },
    },
  }, async (req) => {
    await atClinic(req, 'appointment.checkIn', req.params.clinicId);
    return { items: (await run(() => clinic.checkIn(pool, req.params.clinicId, req.body))).map(line) };
  });

  r.post('/api/v1/staff/appointments/:id/administration', {
    schema: {
      operationId: 'recordDose', tags: ['staff'], summary: 'Records the dose given at an appointment (product, lot, expiry, site, vaccinator, time): the person’s history is updated',
      params: Appt, body: Administration, response: { 201: Type.Object({ doseRecordId: Type.String() }), ...errorResponses, 409: Type.Ref('Error') },
    },
  }, async (req, reply) => {
    const c = await atAppointment(req, 'dose.record', req.params.id);
    return reply.code(201).send(await run(() => clinic.recordDose(pool, req.params.id, req.body, c.staffId)));
  });

  r.post('/api/v1/staff/clinics/:clinicId/no-shows', {
    schema: {
      operationId: 'markNoShows', tags: ['staff'], summary: 'End of day: everyone still only booked whose time has passed is marked missed (their places return)',
      params: Clinic, body: Type.Object({ day: Type.Optional(Day) }), response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => {
    await atClinic(req, 'appointment.noShow', req.params.clinicId, { detail: { day: req.body.day ?? null } });
    return { marked: await clinic.markNoShows(pool, req.params.clinicId, req.body.day) };
  });

  r.post('/api/v1/staff/clinics/:clinicId/walk-ins', {
    schema: {
      operationId: 'registerWalkIn', tags: ['staff'], summary: 'Registers someone who came without an appointment and records their dose',
      params: Clinic,
      body: Type.Object({
        identifier: Type.String({ maxLength: 40 }), dateOfBirth: Day, givenName: PersonName(), familyName: PersonName(),
        language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fr')])), email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
        mobile: Type.Optional(MobileNumber()), doseNumber: Type.Integer({ minimum: 1, maximum: 10 }),
        administration: Type.Object({ ...Administration.properties, product: Type.String({ maxLength: 40 }) }),
      }),
      response: { 201: Type.Object({ personId: Type.String(), doseRecordId: Type.String() }), ...errorResponses, 409: Type.Ref('Error') },
    },
  }, async (req, reply) => {
    const c = await atClinic(req, 'walkIn.register', req.params.clinicId);
    return reply.code(201).send(await run(() => clinic.registerWalkIn(pool, req.params.clinicId, req.body, c.staffId)));
  });

  const ClinicPerson = Type.Object({ clinicId: Id(), personId: Type.String({ pattern: '^[0-9]{1,18}$' }) });
  const NextDose = Type.Object({
    dose: Type.Integer(), reason: Nullable(Type.String({ description: 'why there is no suggestion: no_dose_recorded, series_complete, already_booked, nothing_free_here' })),
    suggestion: Nullable(Type.Object({ day: Day, slotId: Type.Integer(), startsAt: ClinicTime(), product: Type.String(), recommended: Day })),
    existing: Nullable(Type.Object({ startsAt: ClinicTime(), clinic: Type.String() })),
  });

  r.get('/api/v1/staff/clinics/:clinicId/persons/:personId/next-dose', {
    schema: {
      operationId: 'suggestNextDose', tags: ['staff'], summary: "The person's next dose at this clinic, at the recommended interval after the last dose recorded",
      params: ClinicPerson, response: { 200: NextDose, ...errorResponses },
    },
  }, async (req) => {
    await atClinic(req, 'nextDose.book', req.params.clinicId, { personId: Number(req.params.personId) });
    return run(() => clinic.suggestNextDose(pool, req.params.clinicId, req.params.personId));
  });

  r.post('/api/v1/staff/clinics/:clinicId/persons/:personId/next-dose', {
    schema: {
      operationId: 'bookNextDose', tags: ['staff'], summary: 'Books the next dose at check-out: the suggested time, or the slot given',
      params: ClinicPerson, body: Type.Object({
        slotId: Type.Optional(BigId()),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'a way to reach the person, kept with their record (needed when none is recorded)' })),
        mobile: Type.Optional(MobileNumber()),
      }),
      response: { 201: Type.Object({ confirmationCode: Type.String(), appointments: Type.Array(Appointment) }), ...conflictResponses },
    },
  }, async (req, reply) => {
    await atClinic(req, 'nextDose.book', req.params.clinicId, { personId: Number(req.params.personId) });
    return answer(req, reply as FastifyReply, await run(() => clinic.bookNextDose(pool, req.params.clinicId, req.params.personId, req.body.slotId, { email: req.body.email, mobile: req.body.mobile })));
  });

  r.get('/api/v1/staff/clinics/:clinicId/summary', {
    schema: {
      operationId: 'getDaySummary', tags: ['staff'], summary: 'End-of-day summary: booked, checked in, given, missed, walk-ins, doses per product and lot',
      params: Clinic, querystring: Type.Object({ day: Type.Optional(Day) }),
      response: {
        200: Type.Object({ day: Day, booked: Type.Integer(), checkedIn: Type.Integer(), administered: Type.Integer(), noShows: Type.Integer(),
          cancelled: Type.Integer(), walkIns: Type.Integer(), doses: Type.Array(Type.Object({ product: Type.String(), lot: Nullable(Type.String()), doses: Type.Integer() })) }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await atClinic(req, 'day.summary', req.params.clinicId);
    const day = req.query.day ?? await clinic.clinicToday(pool, req.params.clinicId);
    const s = await clinic.daySummary(pool, req.params.clinicId, day);
    return { day, booked: s.booked, checkedIn: s.checked_in, administered: s.administered, noShows: s.no_shows, cancelled: s.cancelled, walkIns: s.walk_ins, doses: s.doses };
  });
};
