import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as booking from '../../../services/booking-service.js';
import * as calls from '../../../services/call-centre-service.js';
import { normaliseConfirmationCode } from '../../../domain/confirmation-code.js';
import { ApiError, preferredLanguage } from '../../errors.js';
import { BigId, Day, errorResponses, IdempotencyHeaders, VisibleText } from '../../schemas.js';
import { authorize, callerOf, signInFirst } from '../../staff-auth.js';
import { answer, Appointment, conflictResponses, Person, Pick } from '../public/bookings.js';
import { EligibilityClaims } from '../public/eligibility.js';

const Reason = VisibleText(300, { minLength: 3, description: 'Why the record is opened (kept in the audit log), e.g. "caller booking dose 2"' });

const notFound = (what: 'person' | 'booking') => new ApiError(404, `${what}_not_found`, what === 'person'
  ? { en: 'There is no such person.', fr: "Cette personne n'existe pas." }
  : { en: 'There is no booking with this confirmation code.', fr: "Aucune réservation ne porte ce code de confirmation." });

/** The call-centre console's operations: the same services as the portal, with a person's record and the audit log around them. */
export const staffCallCentreRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post('/api/v1/staff/persons/search', {
    schema: {
      operationId: 'findPerson', tags: ['staff'], summary: 'Finds a caller by identifier and date of birth, or by names, date of birth and postal code',
      body: Type.Object({
        identifier: Type.Optional(Type.String({ maxLength: 40 })), dateOfBirth: Day, givenName: Type.Optional(Type.String({ maxLength: 100 })),
        familyName: Type.Optional(Type.String({ maxLength: 100 })), postalCode: Type.Optional(Type.String({ maxLength: 10 })), reason: Reason,
      }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          id: Type.String(), givenName: Type.String(), familyName: Type.String(), dateOfBirth: Type.String(), identifierScheme: Type.String(),
          identifier: Type.String(), regionCode: Type.Union([Type.String(), Type.Null()]), postalCode: Type.Union([Type.String(), Type.Null()]),
          needsIdentityVerification: Type.Boolean(),
        })) }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await callerOf(req, pool, adminToken); // signed in before anything is looked up
    const items = await calls.findPersons(pool, req.body);
    // Authorized before answering; the audit row names who was found.
    await authorize(req, pool, adminToken, 'person.find', {}, { reason: req.body.reason, personId: items.length === 1 ? Number(items[0]!.id) : null, detail: { matches: items.length } });
    return { items };
  });

  r.get('/api/v1/staff/persons/:id', {
    schema: {
      operationId: 'getPersonRecord', tags: ['staff'], summary: "A person's record: details, eligibility now, doses, bookings and call notes",
      params: Type.Object({ id: BigId() }), querystring: Type.Object({ reason: Reason }),
      response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'person.read', {}, { personId: req.params.id, reason: req.query.reason });
    const record = await calls.personRecord(pool, String(req.params.id), preferredLanguage(req));
    if (!record) throw notFound('person');
    return record;
  });

  r.post('/api/v1/staff/persons/:id/notes', {
    schema: {
      operationId: 'addCallNote', tags: ['staff'], summary: 'Writes a note on the call into the person’s record',
      params: Type.Object({ id: BigId() }), body: Type.Object({ note: Type.String({ maxLength: 2000 }) }),
      response: { 201: Type.Object({ id: Type.String(), createdAt: Type.String() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const c = await authorize(req, pool, adminToken, 'person.note', {}, { personId: req.params.id });
    if (c.staffId === null) throw new ApiError(400, 'staff_only', { en: 'Notes are signed by a staff member: sign in to write one.', fr: 'Les notes sont signées par un membre du personnel : connectez-vous pour en écrire une.' });
    const n = await calls.addNote(pool, String(req.params.id), c.staffId, req.body.note);
    if (!n) throw notFound('person');
    return reply.code(201).send(n);
  });

  r.post('/api/v1/staff/bookings', {
    schema: {
      operationId: 'bookForCaller', tags: ['staff'], summary: 'Books for a caller with the same engine as the portal (another identity document allowed)',
      headers: IdempotencyHeaders,
      body: Type.Object({
        holdId: Type.Optional(Type.String({ format: 'uuid' })), slots: Type.Optional(Type.Array(Pick, { minItems: 1, maxItems: 5 })),
        persons: Type.Array(Person, { minItems: 1, maxItems: 10 }), invitationCode: EligibilityClaims.invitationCode, reason: Type.Optional(Reason),
      }),
      response: { 201: Type.Object({ confirmationCode: Type.String(), appointments: Type.Array(Appointment) }), ...conflictResponses },
    },
  }, async (req, reply) => {
    const { holdId, slots, persons, invitationCode, reason } = req.body;
    if (!holdId === !slots) throw new ApiError(400, 'invalid_input', { en: 'Give either holdId or slots.', fr: 'Indiquez soit holdId, soit slots.' }, holdId ? 'slots' : 'holdId');
    await authorize(req, pool, adminToken, 'booking.create', {}, { reason, detail: { people: persons.length } });
    const outcome = await booking.createBooking(pool, { holdId, slots, persons, invitationCode, channel: 'call_centre', reason }, req.headers['idempotency-key']);
    return answer(req, reply, outcome);
  });

  const byCode = async (code: string) => {
    const normal = normaliseConfirmationCode(code);
    const b = normal && await calls.bookingByCode(pool, normal);
    if (!b || !normal) throw notFound('booking');
    return { code: normal, ...b };
  };

  r.post('/api/v1/staff/bookings/:code/cancel', {
    schema: {
      operationId: 'cancelForCaller', tags: ['staff'], summary: 'Cancels one dose or the whole series of a booking for a caller',
      headers: IdempotencyHeaders, params: Type.Object({ code: Type.String({ maxLength: 20 }) }),
      body: Type.Object({ doses: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 10 }), { minItems: 1 })), reason: Reason,
        person: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: "Only this person's doses (an appointment's person); without it, everyone's" })) }),
      response: { 200: Type.Object({ cancelled: Type.Integer() }), ...conflictResponses },
    },
  }, async (req, reply) => {
    // Authorized (and audited) before the code is looked up: whoever may not change bookings learns nothing about codes.
    await authorize(req, pool, adminToken, 'booking.change', {}, { bookingCode: req.params.code.slice(0, 20), reason: req.body.reason, detail: { change: 'cancel', doses: req.body.doses ?? null, person: req.body.person ?? null } });
    const b = await byCode(req.params.code);
    return answer(req, reply, await booking.cancelBooking(pool, b.code, b.person_dob, req.body.doses ?? null, req.headers['idempotency-key'], req.body.reason, req.body.person));
  });

  r.post('/api/v1/staff/bookings/:code/reschedule', {
    schema: {
      operationId: 'rescheduleForCaller', tags: ['staff'], summary: 'Moves one dose of a booking for a caller, atomically',
      headers: IdempotencyHeaders, params: Type.Object({ code: Type.String({ maxLength: 20 }) }),
      body: Type.Object({ dose: Type.Integer({ minimum: 1, maximum: 10 }), slotId: BigId(), reason: Reason,
        person: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: "Move only this person's dose (an appointment's person); without it, everyone's" })) }),
      response: { 200: Type.Object({ confirmationCode: Type.String(), appointments: Type.Array(Appointment) }), ...conflictResponses },
    },
  }, async (req, reply) => {
    await authorize(req, pool, adminToken, 'booking.change', {}, { bookingCode: req.params.code.slice(0, 20), reason: req.body.reason, detail: { change: 'reschedule', dose: req.body.dose, slotId: req.body.slotId, person: req.body.person ?? null } });
    const b = await byCode(req.params.code);
    return answer(req, reply, await booking.rescheduleBooking(pool, b.code, b.person_dob, req.body.dose, req.body.slotId, req.headers['idempotency-key'], req.body.reason, req.body.person));
  });
};
