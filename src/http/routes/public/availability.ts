import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as availability from '../../../services/availability-service.js';
import { ApiError, preferredLanguage } from '../../errors.js';
import { clinicView } from '../../../services/reference-service.js';
import { EligibilityClaims } from './eligibility.js';
import { AccessibilityFeature, ClinicNearby, ClinicTime, Day, errorResponses, Id, Nullable, ProductCode, ProductName } from '../../schemas.js';


const SearchBody = Type.Object({
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  place: Type.Optional(Type.String({ minLength: 2, maxLength: 80, description: 'A town name or a postal code, instead of coordinates' })),
  radiusKm: Type.Number({ minimum: 1, maximum: 500, default: 25 }),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  dateOfBirth: Day,
  dose: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal('booster')], { default: 1, description: 'Dose number, or "booster" (the dose after the previous one)' }),
  previousDoseDate: Type.Optional(Day),
  previousProduct: Type.Optional(Type.String({ maxLength: 40 })),
  nextDoseDate: Type.Optional({ ...Day, description: 'Moving an earlier dose while the next stays booked: the next dose’s day (only days that keep it in its interval are offered, unpaired)' }),
  nextProduct: Type.Optional(Type.String({ maxLength: 40, description: 'with nextDoseDate: the next dose’s product (the same is offered)' })),
  product: Type.Optional(Type.String({ maxLength: 40 })),
  kind: Type.Optional(Type.Union(['mass_site', 'pharmacy', 'hospital', 'primary_care', 'mobile'].map((k) => Type.Literal(k)))),
  accessibility: Type.Array(AccessibilityFeature, { default: [], maxItems: 5 }),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fr')])),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  firstTimesDays: Type.Integer({ minimum: 0, maximum: 92, default: 3, description: "For how many of each clinic's offered days the first free times come along (92: every day)" }),
  alsoFor: Type.Optional(Type.Array(Day, { maxItems: 9, description: 'Dates of birth of others booked at the same times (e.g. a parent’s children): only days whose vaccine suits them all' })),
  regionCode: EligibilityClaims.regionCode,
  postalCode: EligibilityClaims.postalCode,
  groups: Type.Optional(EligibilityClaims.groups),
  invitationCode: EligibilityClaims.invitationCode,
});

const OfferedDay = Type.Object({
  day: Day, product: Type.Object({ code: Type.String(), name: Type.String() }), freeCapacity: Type.Integer(),
  firstTimes: Type.Array(Type.Object({ slotId: Type.Integer(), startsAt: ClinicTime(), free: Type.Integer() }), {
    description: "The first free times (with room for everyone searched for), for each clinic's first firstTimesDays offered days (3 unless asked); every time of a day: listDaySlots",
  }),
  nextDose: Nullable(Type.Object({
    day: Day, clinicId: Type.Integer(), clinicName: Type.String(), distanceKm: Type.Number(), sameClinic: Type.Boolean(),
    product: ProductCode(), window: Type.Object({ earliest: Day, recommended: Day, latest: Nullable(Day) }),
  })),
});
const REASONS: Record<string, { en: string; fr: string }> = {
  not_yet_eligible: { en: 'You cannot book yet: see why and from when below.', fr: 'Vous ne pouvez pas encore réserver : voyez pourquoi et à partir de quand ci-dessous.' },
  invitation_refused: { en: 'This invitation code cannot be used to book: see why below. Check the code, or search without it.',
    fr: "Ce code d'invitation ne permet pas de réserver : voyez pourquoi ci-dessous. Vérifiez le code, ou cherchez sans lui." },
  too_young: { en: 'No vaccine offered is approved for this age yet: see from when below.', fr: "Aucun vaccin offert n'est encore autorisé à cet âge : voyez à partir de quand ci-dessous." },
  no_clinics: { en: 'No clinic matching your filters is within this distance.', fr: 'Aucune clinique correspondant à vos filtres ne se trouve dans ce rayon.' },
  nothing_published: { en: 'No appointments have been published near you for these dates yet.', fr: "Aucun rendez-vous n'a encore été publié près de chez vous pour ces dates." },
  not_eligible: { en: 'The vaccines offered near you on these dates are not for this age or dose.', fr: "Les vaccins offerts près de chez vous à ces dates ne conviennent pas à cet âge ou à cette dose." },
  no_common_product: {
    en: 'No single vaccine here suits everyone you are booking for (adults and young children get different vaccines). Book them separately.',
    fr: 'Aucun vaccin offert ici ne convient à toutes les personnes de la réservation (adultes et jeunes enfants reçoivent des vaccins différents). Réservez séparément.',
  },
  outside_window: {
    en: 'No day in this range keeps your next dose within its allowed interval. Choose other dates, or cancel and book both doses again.',
    fr: "Aucun jour de cette période ne garde votre dose suivante dans l'intervalle permis. Choisissez d'autres dates, ou annulez et réservez de nouveau les deux doses.",
  },
  days_cancelled: {
    en: 'The vaccination days near you on these dates were cancelled. The nearest availability is shown below; other dates may have room.',
    fr: 'Les journées de vaccination près de chez vous à ces dates ont été annulées. La disponibilité la plus proche est indiquée ci-dessous ; d’autres dates peuvent avoir de la place.',
  },
  dose_not_due: {
    en: 'This dose cannot be given on these dates: it is too soon (or too late) after the previous dose. Search the days it is due; the nearest is shown below.',
    fr: 'Cette dose ne peut pas être donnée à ces dates : c’est trop tôt (ou trop tard) après la dose précédente. Cherchez les jours où elle est due ; la plus proche est indiquée ci-dessous.',
  },
  clinics_restricted: {
    en: 'The clinics near you with a vaccine for you serve only certain groups (for example health-care workers) on these dates.',
    fr: 'Les cliniques près de chez vous qui ont un vaccin pour vous ne servent que certains groupes (par exemple les travailleurs de la santé) à ces dates.',
  },
  product_not_offered: {
    en: 'The vaccine you chose is not offered near you for this age and dose on these dates, but another one is: search without choosing the vaccine.',
    fr: 'Le vaccin choisi n’est pas offert près de chez vous pour cet âge et cette dose à ces dates, mais un autre l’est : cherchez sans choisir de vaccin.',
  },
  no_room_together: {
    en: 'No time near you on these dates has room for everyone you are booking for at once. Book them separately, or try other dates.',
    fr: 'Aucune heure près de chez vous à ces dates n’a de place pour toutes les personnes de la réservation à la fois. Réservez séparément, ou essayez d’autres dates.',
  },
  all_full: { en: 'Every appointment near you on these dates is taken.', fr: 'Tous les rendez-vous près de chez vous à ces dates sont pris.' },
  no_dose2: { en: 'There are first-dose appointments, but no second-dose appointment in the allowed interval yet.', fr: "Il y a des rendez-vous de première dose, mais pas encore de deuxième dose dans l'intervalle permis." },
};

const SearchResponse = Type.Object({
  items: Type.Array(Type.Object({ clinic: ClinicNearby, days: Type.Array(OfferedDay) })),
  nextCursor: Type.Optional(Type.String()),
  explanation: Type.Optional(Type.Object({
    reason: Type.Unsafe<string>({ type: 'string', enum: Object.keys(REASONS), description: 'Why nothing was offered; message says it to a person' }), message: Type.String(), messages: Type.Object({ en: Type.String(), fr: Type.String() }),
    nearest: Nullable(Type.Object({ clinic: ClinicNearby, day: Day, product: ProductName() })),
    eligibility: Type.Optional(Type.Array(Type.Object({ person: Type.Integer({ description: '0: the person searched for; 1 and up: those of alsoFor, in order' }), code: Type.String(), opensOn: Nullable(Type.String()), message: Type.String(), messages: Type.Object({ en: Type.String(), fr: Type.String() }) }),
      { description: 'when reason is not_yet_eligible or too_young: why, the binding "not yet" first; with invitation_refused: why the code cannot be used' })),
  })),
});

function nearbyView(c: availability.CandidateClinic) {
  return { ...clinicView(c.clinic), distanceKm: Math.round(c.distanceKm * 10) / 10 };
}

export const availabilityRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (app, { pool }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // POST: the date of birth stays out of URLs and access logs.
  r.post('/api/v1/availability/search', {
    schema: {
      operationId: 'searchAvailability', tags: ['booking'],
      summary: 'Clinics near a place with the days a person may book, dose 2 paired with dose 1, or why there are none',
      description: 'Clinics come nearest first by the distance shown (0.1 km), then by their earliest day; every clinic with a bookable day is on some page (follow nextCursor).',
      body: SearchBody, response: { 200: SearchResponse, ...errorResponses },
    },
  }, async (req) => {
    const result = await availability.searchFromRequest(pool, req.body);
    const lang = preferredLanguage(req);
    return {
      items: result.items.map((c) => ({
        clinic: nearbyView(c),
        days: c.days.map((d) => ({
          day: d.day, product: d.product, freeCapacity: d.freeCapacity, firstTimes: d.firstTimes,
          nextDose: d.nextDose && {
            day: d.nextDose.day, clinicId: d.nextDose.clinicId, clinicName: d.nextDose.clinicName, distanceKm: d.nextDose.distanceKm,
            sameClinic: d.nextDose.sameClinic, product: d.nextDose.productCode, window: d.nextDose.window,
          },
        })),
      })),
      nextCursor: result.nextCursor,
      explanation: result.explanation && {
        reason: result.explanation.reason,
        message: REASONS[result.explanation.reason]![lang],
        messages: REASONS[result.explanation.reason]!,
        nearest: result.explanation.nearest && { clinic: nearbyView(result.explanation.nearest), day: result.explanation.nearest.day, product: result.explanation.nearest.product },
        eligibility: result.explanation.eligibility?.map((r) => ({ ...r, message: r.messages[lang] })),
      },
    };
  });

  r.get('/api/v1/clinics/:clinicId/days/:day/slots', {
    schema: {
      operationId: 'listDaySlots', tags: ['booking'], summary: 'The free times of one clinic-day',
      params: Type.Object({ clinicId: Id(), day: Day }),
      querystring: Type.Object({
        product: Type.Optional(Type.String({ maxLength: 40 })),
        cohorts: Type.Optional(Type.String({ maxLength: 400, description: "Comma-separated cohort ids the person belongs to (checkEligibility's ways): sessions serving only some cohorts show only to them" })),
        seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 1, description: 'people booked together at the same time (as in createHold): only times with room for all' })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ slotId: Type.Integer(), startsAt: ClinicTime(), endsAt: ClinicTime(), free: Type.Integer(), product: ProductCode() })) }), ...errorResponses },
    },
  }, async (req) => {
    const items = await availability.daySlots(pool, req.params.clinicId, req.params.day, req.query.product, req.query.cohorts?.split(',').map((c) => c.trim()).filter(Boolean), req.query.seats);
    if (!items) throw new ApiError(404, 'clinic_not_found', { en: `There is no open clinic ${req.params.clinicId}.`, fr: `Il n'existe pas de clinique ouverte ${req.params.clinicId}.` }, 'clinicId');
    return { items };
  });
};
