import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as booking from '../../../services/booking-service.js';
import { ApiError, KEY_REUSED, preferredLanguage } from '../../errors.js';
import { BigId, ClinicTime, Day, errorResponses, IdempotencyHeaders, MobileNumber, PersonName, PostalCode, ProductName, VisibleText } from '../../schemas.js';
import { holdLimiter, identityGuessLimiter, lookupLimiter, type HoldLimits, type LookupLimits } from '../../lookup-limits.js';
import { EligibilityClaims } from './eligibility.js';
import { hasAdminToken } from '../../admin-auth.js';

export const Pick = Type.Object({ dose: Type.Integer({ minimum: 1, maximum: 10 }), slotId: BigId() });
export const Person = Type.Object({
  identifier: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "The jurisdiction's identifier (e.g. Ontario health card number, with its version code), checked with its check digits" })),
  identityDocument: Type.Optional(Type.Object({
    type: Type.Union(['passport', 'drivers_licence', 'birth_certificate', 'status_card', 'other'].map((t) => Type.Literal(t))),
    number: Type.String({ minLength: 3, maxLength: 40 }),
  }, { description: 'For someone without a health card: recorded by an agent (staff token) only; the person is flagged for checking at the clinic' })),
  dateOfBirth: Day,
  givenName: PersonName(),
  familyName: PersonName(),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fr')])),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  mobile: Type.Optional(MobileNumber()),
  address: Type.Optional(Type.Object({ line: VisibleText(200), city: VisibleText(100), postalCode: PostalCode() })),
  regionCode: EligibilityClaims.regionCode,
  postalCode: EligibilityClaims.postalCode,
  groups: Type.Optional(EligibilityClaims.groups),
  previousDoses: Type.Optional(Type.Array(Type.Object({ date: Day, product: Type.String({ maxLength: 40 }) }), { maxItems: 10, description: 'Doses already had elsewhere, oldest first' })),
});
export const Appointment = Type.Object({
  dose: Type.Integer(), status: Type.Unsafe<string>({ type: 'string', enum: ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'] }), startsAt: ClinicTime(), endsAt: ClinicTime(), slotId: Type.Integer(), personGivenName: Type.String(),
  // Optional: an answer stored (Idempotency-Key) before appointments said whose they are is replayed as it was.
  person: Type.Optional(Type.Integer({ description: 'Which person of the booking, 0, 1, … in the order they were booked (cancelBooking and rescheduleBooking may name one)' })),
  clinic: Type.Object({ id: Type.Integer(), name: Type.String(), street: Type.String(), city: Type.String(), postalCode: Type.String(), timeZone: Type.String() }),
  product: ProductName(),
});
export const conflictResponses = { ...errorResponses, 403: Type.Ref('Error'), 409: Type.Ref('Error'), 410: Type.Ref('Error'), 422: Type.Ref('Error') };

/** What each refusal tells a person, in both languages. */
const REFUSALS: Record<string, { en: string; fr: string }> = {
  slot_full: { en: 'That time has just been taken. Please choose another one.', fr: 'Ce créneau vient d’être pris. Veuillez en choisir un autre.' },
  slot_unavailable: { en: 'That time can no longer be booked. Please choose another one.', fr: 'Ce créneau ne peut plus être réservé. Veuillez en choisir un autre.' },
  hold_expired: { en: 'The times reserved for you were released because the time to confirm ran out. Please choose them again; what you typed is kept.', fr: 'Les créneaux réservés pour vous ont été libérés, car le délai de confirmation est écoulé. Veuillez les choisir à nouveau ; vos informations sont conservées.' },
  already_booked: { en: 'This person already has an appointment for that dose.', fr: 'Cette personne a déjà un rendez-vous pour cette dose.' },
  overlapping: { en: 'This person already has another appointment at that time.', fr: 'Cette personne a déjà un autre rendez-vous à cette heure.' },
  series_invalid: { en: 'These appointments do not fit the vaccine’s rules (age, dose number or interval between doses).', fr: 'Ces rendez-vous ne respectent pas les règles du vaccin (âge, numéro de dose ou intervalle entre les doses).' },
  pairing_required: { en: 'A first dose is booked together with the second dose: choose a second-dose appointment too.', fr: 'La première dose se réserve avec la deuxième : choisissez aussi un rendez-vous pour la deuxième dose.' },
  idempotency_key_reused: KEY_REUSED,
  hold_not_found: {
    en: 'These reserved times are not known here. Please choose the times again; what you typed is kept.',
    fr: 'Ces créneaux réservés sont inconnus ici. Veuillez choisir les créneaux à nouveau ; vos informations sont conservées.',
  },
  hold_released: {
    en: 'These reserved times were given up. Please choose the times again; what you typed is kept.',
    fr: 'Ces créneaux réservés ont été libérés. Veuillez choisir les créneaux à nouveau ; vos informations sont conservées.',
  },
  hold_used: {
    en: 'These times were already booked with this hold. Look the booking up with its confirmation code.',
    fr: 'Ces créneaux ont déjà été réservés avec cette réservation temporaire. Retrouvez la réservation avec son code de confirmation.',
  },
  identity_mismatch: {
    en: 'This health card number is already recorded with another date of birth. Check the date of birth; if it is right, call us to correct the record.',
    fr: "Ce numéro de carte santé est déjà inscrit avec une autre date de naissance. Vérifiez la date de naissance ; si elle est exacte, appelez-nous pour corriger le dossier.",
  },
  later_dose_booked: {
    en: 'A later dose of this booking stays booked: cancel it too, or move this dose instead.',
    fr: 'Une dose suivante de cette réservation reste réservée : annulez-la aussi, ou déplacez plutôt cette dose.',
  },
  dose_given: { en: 'This dose was given already: there is no appointment left to cancel for it.', fr: 'Cette dose a déjà été administrée : il ne reste aucun rendez-vous à annuler pour elle.' },
  nothing_to_cancel: { en: 'This booking has no appointment for that dose.', fr: "Cette réservation n'a pas de rendez-vous pour cette dose." },
  nothing_to_reschedule: { en: 'This booking has no active appointment for that dose.', fr: "Cette réservation n'a pas de rendez-vous actif pour cette dose." },
  not_eligible: { en: 'This person cannot book this appointment yet.', fr: 'Cette personne ne peut pas encore réserver ce rendez-vous.' },
  clinic_restricted: { en: 'This clinic or session serves only some groups, and not this person: please choose another time or clinic.', fr: "Cette clinique ou cette séance ne sert que certains groupes, dont cette personne ne fait pas partie : choisissez une autre heure ou une autre clinique." },
  dose_not_next: { en: 'That is not the next dose for this person: check the doses already had.', fr: "Ce n'est pas la prochaine dose de cette personne : vérifiez les doses déjà reçues." },
  invitation_unknown: { en: 'This invitation code is not one we sent. Check the code on your letter.', fr: "Ce code d'invitation ne correspond à aucun envoi. Vérifiez le code sur votre lettre." },
  invitation_revoked: { en: 'This invitation code has been withdrawn.', fr: "Ce code d'invitation a été retiré." },
  invitation_expired: { en: 'This invitation code has expired.', fr: "Ce code d'invitation est expiré." },
  invitation_used: { en: 'This invitation code has already been used by someone else.', fr: "Ce code d'invitation a déjà été utilisé par une autre personne." },
  too_many_attempts: { en: 'Too many attempts for this health card. Please wait a moment, or call us.', fr: 'Trop de tentatives pour cette carte santé. Veuillez patienter un moment, ou appelez-nous.' },
  invalid_request: { en: 'The request is not consistent: give one slot per dose.', fr: 'La requête est incohérente : indiquez un créneau par dose.' },
};

export function answer<T>(req: FastifyRequest, reply: FastifyReply, outcome: booking.Outcome<T>) {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  if ('result' in outcome) return reply.status(outcome.status).send(outcome.result);
  // "Not eligible" says why and when, from the roll-out's own reasons.
  const why = (outcome.detail as { reasons?: Array<{ messages: { en: string; fr: string } }> } | undefined)?.reasons?.[0]?.messages;
  const messages = why ?? REFUSALS[outcome.refusal] ?? REFUSALS.invalid_request!;
  const field = outcome.refusal === 'idempotency_key_reused' ? 'idempotency-key' : undefined;
  return reply.status(outcome.status).send({ code: outcome.refusal, message: messages[preferredLanguage(req)], messages, field, requestId: req.id, detail: outcome.detail });
}

/** The booking engine's refusal codes, for the document: each comes with its sentence in English and French. */
const refusalCodes = () => 'A refusal met while acting (slot_full, hold_expired, …) is stored under the Idempotency-Key like a success and '
  + 'replayed to the same request: try an alternative under a new key. A request refused before acting leaves its key free. '
  + `Besides invalid_input (400, naming the field), refusals carry one of these stable codes: ${
  [...Object.keys(REFUSALS), 'booking_not_found', 'too_many_holds', 'idempotency_key_in_progress', 'service_unavailable'].sort().join(', ')}.`;

const holdNotFound = () => new ApiError(404, 'hold_not_found', REFUSALS.hold_not_found!);

const notFound = () => new ApiError(404, 'booking_not_found', {
  en: 'No booking matches this confirmation code and date of birth. Check both and try again.',
  fr: 'Aucune réservation ne correspond à ce code de confirmation et à cette date de naissance. Vérifiez-les et réessayez.',
});

export const bookingRoutes: FastifyPluginAsync<{ pool: pg.Pool; holdMinutes: number; lookupLimits?: LookupLimits; holdLimits?: HoldLimits; adminToken: string }> = async (app, { pool, holdMinutes, lookupLimits, holdLimits, adminToken }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const throttle = lookupLimiter(pool, lookupLimits);
  const guesses = identityGuessLimiter(pool);
  const holdThrottle = holdLimiter(pool, holdLimits);
  const limited = { ...conflictResponses, 429: Type.Ref('Error') };

  r.post('/api/v1/holds', {
    schema: {
      operationId: 'createHold', tags: ['booking'], summary: 'Hold one slot per dose for a few minutes while details are typed', description: refusalCodes(),
      headers: IdempotencyHeaders,
      body: Type.Object({ slots: Type.Array(Pick, { minItems: 1, maxItems: 5 }), seats: Type.Integer({ minimum: 1, maximum: 10, default: 1 }), dateOfBirth: Type.Optional(Day) }),
      response: { 201: Type.Object({ holdId: Type.String(), expiresAt: Type.String() }), ...limited },
    },
  }, async (req, reply) => {
    const places = req.body.seats * req.body.slots.length;
    await holdThrottle.check(req, reply, places);
    const outcome = await booking.createHold(pool, req.body.slots, req.body.seats, holdMinutes, req.body.dateOfBirth, req.headers['idempotency-key']);
    if (outcome.status === 201 && !outcome.replayed) await holdThrottle.spend(req, places);
    return answer(req, reply, outcome);
  });

  r.delete('/api/v1/holds/:holdId', {
    schema: {
      operationId: 'releaseHold', tags: ['booking'],
      summary: 'Release a hold: its capacity is free at once (repeating it changes nothing, with or without an Idempotency-Key)',
      headers: IdempotencyHeaders,
      params: Type.Object({ holdId: Type.String({ format: 'uuid' }) }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (req, reply) => {
    if (await booking.releaseHold(pool, req.params.holdId) === 'not_found') throw holdNotFound();
    return reply.status(204).send(null);
  });

  r.post('/api/v1/bookings', {
    schema: {
      operationId: 'createBooking', tags: ['booking'],
      summary: 'Book a dose series (from a hold or from slots) for one or more people: all appointments or none', description: refusalCodes(),
      // Anyone may book; the administrator token books as the call centre (persons[].identityDocument needs it).
      security: [{}, { bearer: [] }],
      headers: IdempotencyHeaders,
      body: Type.Object({
        holdId: Type.Optional(Type.String({ format: 'uuid' })),
        slots: Type.Optional(Type.Array(Pick, { minItems: 1, maxItems: 5 })),
        persons: Type.Array(Person, { minItems: 1, maxItems: 10 }),
        invitationCode: EligibilityClaims.invitationCode,
      }),
      response: { 201: Type.Object({ confirmationCode: Type.String(), appointments: Type.Array(Appointment) }), ...limited },
    },
  }, async (req, reply) => {
    const { holdId, slots, persons, invitationCode } = req.body;
    if (!holdId === !slots) {
      throw new ApiError(400, 'invalid_input', { en: 'Give either holdId or slots.', fr: 'Indiquez soit holdId, soit slots.' }, holdId ? 'slots' : 'holdId');
    }
    const outcome = await booking.createBooking(pool, { holdId, slots, persons, invitationCode, guessGuards: persons.map((p) => guesses.guard(p.identifier)),
      // Until staff accounts exist (#6), the admin token stands for an agent booking on the phone.
      channel: hasAdminToken(req, adminToken) ? 'call_centre' : 'portal' }, req.headers['idempotency-key']);
    if ('refusal' in outcome && outcome.refusal === 'identity_mismatch') {
      await guesses.miss(persons[(outcome.detail as { person?: number } | undefined)?.person ?? 0]?.identifier);
    }
    // Refused by the booking call for a card's guesses: said with how long to wait (the window just ended: 1 s).
    if ('refusal' in outcome && outcome.refusal === 'too_many_attempts') {
      await guesses.check(persons.map((p) => p.identifier), reply);
      reply.header('retry-after', '1');
    }
    return answer(req, reply, outcome);
  });

  const Lookup = Type.Object({ confirmationCode: Type.String({ minLength: 6, maxLength: 20 }), dateOfBirth: Day });
  const BookingView = Type.Object({ confirmationCode: Type.String(), appointments: Type.Array(Appointment) });

  // POST, not GET: a date of birth must not sit in URLs, proxies' logs or browser history.
  r.post('/api/v1/bookings/lookup', {
    schema: {
      operationId: 'getBooking', tags: ['booking'], summary: 'A booking by confirmation code and date of birth',
      body: Lookup, response: { 200: BookingView, ...limited },
    },
    preHandler: throttle, onSend: throttle.settle,
  }, async (req) => {
    const b = await booking.getBooking(pool, req.body.confirmationCode, req.body.dateOfBirth);
    if (!b) throw notFound();
    return { confirmationCode: b.confirmationCode, appointments: b.appointments };
  });

  r.post('/api/v1/bookings/cancel', {
    schema: {
      operationId: 'cancelBooking', tags: ['booking'], summary: 'Cancel one dose or the whole series; the capacity is free at once',
      description: `An earlier dose cannot be cancelled alone while a later one stays booked (409 later_dose_booked): cancel both, or move the earlier one. ${refusalCodes()}`,
      headers: IdempotencyHeaders,
      body: Type.Object({ ...Lookup.properties, doses: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 10 }), { minItems: 1 })),
        person: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: "Only this person's doses (an appointment's person: 0, 1, …); without it, everyone's" })) }),
      response: { 200: Type.Object({ cancelled: Type.Integer() }), ...limited },
    },
    preHandler: throttle, onSend: throttle.settle,
  }, async (req, reply) => {
    const outcome = await booking.cancelBooking(pool, req.body.confirmationCode, req.body.dateOfBirth, req.body.doses ?? null, req.headers['idempotency-key'], undefined, req.body.person);
    if ('refusal' in outcome && outcome.refusal === 'booking_not_found') throw notFound();
    return answer(req, reply, outcome);
  });

  r.post('/api/v1/bookings/reschedule', {
    schema: {
      operationId: 'rescheduleBooking', tags: ['booking'],
      summary: 'Move one dose to another slot, atomically: if the new slot is gone, the old appointment stands', description: refusalCodes(),
      headers: IdempotencyHeaders,
      body: Type.Object({ ...Lookup.properties, dose: Type.Integer({ minimum: 1, maximum: 10 }), slotId: BigId(),
        person: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: "Move only this person's dose (an appointment's person: 0, 1, …); without it, everyone booked for that dose moves to the slot" })) }),
      response: { 200: BookingView, ...limited },
    },
    preHandler: throttle, onSend: throttle.settle,
  }, async (req, reply) => {
    const b = req.body;
    const outcome = await booking.rescheduleBooking(pool, b.confirmationCode, b.dateOfBirth, b.dose, b.slotId, req.headers['idempotency-key'], undefined, b.person);
    if ('refusal' in outcome && outcome.refusal === 'booking_not_found') throw notFound();
    return answer(req, reply, outcome);
  });
};
