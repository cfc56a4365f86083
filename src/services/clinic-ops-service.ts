import type pg from 'pg';
import * as ops from '../db/repositories/clinic-ops-repository.js';
import * as people from '../db/repositories/person-repository.js';
import { addDays, clinicTime, localDate } from '../domain/calendar.js';
import { normaliseConfirmationCode } from '../domain/confirmation-code.js';
import { nextDoseWindow, suggestDay } from '../domain/dose-series.js';
import { withTransaction } from '../db/transaction.js';
import { daySlots, searchAvailability } from './availability-service.js';
import { createBooking, type BookingResult, type Outcome, type PersonRequest } from './booking-service.js';
import { checkTypedIdentifier } from './identity-service.js';
import { InputError } from './input-error.js';
import { productCatalogue, productsById } from './reference-cache.js';
import { administrationMessage, administrationProblem } from '../domain/administration.js';
import { dateOfBirthProblem } from '../domain/age.js';
import { explainChange } from '../db/repositories/clinic-day-repository.js';
import { getClinic } from '../db/repositories/reference-repository.js';

/** The clinic console's use cases, on the same booking engine as every other channel. */

export const INJECTION_SITES = ['left_deltoid', 'right_deltoid', 'left_thigh', 'right_thigh'] as const;

export class NotFound extends Error {
  constructor(readonly what: 'clinic' | 'appointment' | 'arrival' | 'person') { super(`${what} not found`); }
}
export class Conflict extends Error {
  constructor(readonly code: 'appointment_not_open' | 'appointment_not_today' | 'dose_not_allowed' | 'dose_already_recorded' | 'identity_mismatch' | 'no_next_dose',
    readonly messages: { en: string; fr: string }) { super(code); }
}

/** Any clinic, open or closed (staff close a clinic's books after it closes). */
export async function clinicOf(pool: pg.Pool, clinicId: number) {
  const c = await getClinic(pool, clinicId);
  if (!c) throw new NotFound('clinic');
  return c;
}

export const clinicToday = async (pool: pg.Pool, clinicId: number) => localDate(new Date(), (await clinicOf(pool, clinicId)).time_zone);

export async function roster(pool: pg.Pool, clinicId: number, day: string | undefined, q: string | undefined) {
  const rows = await ops.roster(pool, clinicId, day ?? await clinicToday(pool, clinicId));
  const needle = q?.trim().toLowerCase().replace(/[\s-]/g, '');
  if (!needle) return rows;
  // A nurse types a name, a code or a card number: any of them finds the line.
  return rows.filter((r) => `${r.given_name}${r.family_name}`.toLowerCase().replace(/\s/g, '').includes(needle)
    || `${r.family_name}${r.given_name}`.toLowerCase().replace(/\s/g, '').includes(needle)
    || r.booking_code.toLowerCase().replace(/-/g, '').includes(needle) || r.identifier.toLowerCase().includes(needle));
}

export interface ArrivalInput { confirmationCode?: string; identifier?: string; givenName?: string; familyName?: string; dateOfBirth?: string }

/** Checks in whoever arrived, by the code on their confirmation (typed or from its QR), their card, or name and date of birth. */
export async function checkIn(pool: pg.Pool, clinicId: number, a: ArrivalInput): Promise<ops.RosterRow[]> {
  const day = await clinicToday(pool, clinicId);
  let who: ops.Arrival;
  if (a.confirmationCode) {
    const code = normaliseConfirmationCode(a.confirmationCode);
    if (!code) throw new InputError('confirmationCode', { en: 'This is not a confirmation code: it has 10 letters and digits, like K7QX-M3PA-R2.', fr: "Ce n'est pas un code de confirmation : il compte 10 lettres et chiffres, comme K7QX-M3PA-R2." });
    who = { code, ...(a.dateOfBirth ? { dateOfBirth: a.dateOfBirth } : {}) };
  } else if (a.identifier && a.dateOfBirth) {
    const c = await checkTypedIdentifier(pool, a.identifier, a.dateOfBirth);
    if (!c.ok) throw new InputError('identifier', c.message);
    who = { scheme: c.scheme, identifier: c.value, dateOfBirth: a.dateOfBirth };
  } else if (a.givenName && a.familyName && a.dateOfBirth) {
    who = { givenName: a.givenName.trim(), familyName: a.familyName.trim(), dateOfBirth: a.dateOfBirth };
  } else {
    throw new InputError('confirmationCode', {
      en: 'Give the confirmation code, or the health card number and date of birth, or the names and date of birth.',
      fr: 'Indiquez le code de confirmation, ou le numéro de carte Santé et la date de naissance, ou les noms et la date de naissance.',
    });
  }
  const found = await ops.arrivals(pool, clinicId, day, who);
  if (!found.length) throw new NotFound('arrival');
  await ops.checkIn(pool, found.filter((r) => r.status === 'booked').map((r) => r.appointment_id));
  return ops.arrivals(pool, clinicId, day, who);
}

export interface AdministrationInput { product?: string; lotNumber: string; lotExpiry: string; site: string; administeredAt?: string }
interface WalkInAdministration extends AdministrationInput { product: string }

async function administration(pool: pg.Pool, clinicId: number, a: AdministrationInput, defaultProduct: string | undefined, vaccinatorId: number | null): Promise<ops.Administration> {
  const code = a.product ?? defaultProduct;
  const product = (await productCatalogue(pool)).find((p) => p.code === code);
  if (!product) throw new InputError('product', { en: `There is no product "${code ?? ''}".`, fr: `Le produit « ${code ?? ''} » n'existe pas.` });
  if (!a.lotNumber.trim()) throw new InputError('lotNumber', { en: 'Give the lot number printed on the vial.', fr: 'Indiquez le numéro de lot imprimé sur le flacon.' });
  const today = await clinicToday(pool, clinicId);
  if (a.lotExpiry < today) throw new InputError('lotExpiry', { en: 'This lot has expired: do not use it.', fr: 'Ce lot est périmé : ne l’utilisez pas.' });
  if (!(INJECTION_SITES as readonly string[]).includes(a.site)) {
    throw new InputError('site', { en: `The injection site must be one of ${INJECTION_SITES.join(', ')}.`, fr: `Le point d'injection doit être l'un de ${INJECTION_SITES.join(', ')}.` });
  }
  const at = a.administeredAt ? new Date(a.administeredAt) : new Date();
  if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 5 * 60_000) {
    throw new InputError('administeredAt', { en: 'The time given must not be in the future.', fr: "L'heure indiquée ne doit pas être dans le futur." });
  }
  return { productId: product.id, lotNumber: a.lotNumber.trim(), lotExpiry: a.lotExpiry, site: a.site, administeredAt: at, vaccinatorId };
}

/**
 * Refuses a dose the booking engine would not have booked: a product not for the person's age on that day, a dose
 * that is not the next one, a product that may not follow the dose before, or too soon after it. The person's
 * recorded doses are read on `db` (in the recording's transaction for a walk-in), their days in the clinic's zone.
 */
async function checkAdministrable(pool: pg.Pool, db: pg.Pool | pg.PoolClient, personId: string, dateOfBirth: string,
  given: { productId: number; dose: number; day: string; timeZone: string }): Promise<void> {
  const products = await productsById(pool);
  const byCode = new Map([...products.values()].map((p) => [p.code, p]));
  const had = (await people.dosesOf(db, personId)).flatMap((d) => {
    const product = byCode.get(d.product_code);
    return product ? [{ dose: d.dose_number, day: localDate(d.administered_at, given.timeZone), product }] : [];
  });
  const problem = administrationProblem(dateOfBirth, products.get(given.productId)!, given.dose, given.day, had);
  if (problem) throw new Conflict('dose_not_allowed', administrationMessage(problem));
}

export async function recordDose(pool: pg.Pool, appointmentId: string, a: AdministrationInput, vaccinatorId: number | null): Promise<{ doseRecordId: string }> {
  const place = await ops.appointmentPlace(pool, appointmentId);
  if (!place) throw new NotFound('appointment');
  const given = await administration(pool, place.clinic_id, a, place.product_code, vaccinatorId);
  // An appointment's dose is given on its day: not ahead of it, and a time given afterwards is on that day.
  if (place.day > localDate(new Date(), place.time_zone)) {
    throw new Conflict('appointment_not_today', { en: `This appointment is on ${place.day}: its dose is recorded that day.`, fr: `Ce rendez-vous a lieu le ${place.day} : sa dose s’inscrit ce jour-là.` });
  }
  const day = localDate(given.administeredAt, place.time_zone);
  if (day !== place.day) {
    throw new InputError('administeredAt', { en: `This appointment was on ${place.day}: give the time of the dose on that day.`, fr: `Ce rendez-vous avait lieu le ${place.day} : indiquez l’heure de la dose ce jour-là.` });
  }
  await checkAdministrable(pool, pool, place.person_id, place.date_of_birth, { productId: given.productId, dose: place.dose_number, day, timeZone: place.time_zone });
  try {
    const r = await ops.recordAdministration(pool, appointmentId, given);
    if (!r) throw new Conflict('appointment_not_open', { en: 'This appointment is not open: the dose was given already, or it was cancelled or missed.', fr: "Ce rendez-vous n'est pas ouvert : la dose a déjà été administrée, ou il a été annulé ou manqué." });
    return { doseRecordId: r.dose_record_id };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new Conflict('dose_already_recorded', { en: 'This person already has this dose recorded.', fr: 'Cette dose est déjà inscrite au dossier de cette personne.' });
    throw err;
  }
}

export async function markNoShows(pool: pg.Pool, clinicId: number, day?: string): Promise<number> {
  return ops.markNoShows(pool, clinicId, day ?? await clinicToday(pool, clinicId));
}

/** How far back a walk-in's dose may be recorded (a clinic catching up after working on paper). */
const WALK_IN_BACKFILL_DAYS = 30;

export interface WalkInInput {
  identifier: string; dateOfBirth: string; givenName: string; familyName: string; language?: string; email?: string; mobile?: string;
  doseNumber: number; administration: WalkInAdministration;
}

/** Someone without an appointment: registered (or found) and their dose recorded, in one transaction. */
export async function registerWalkIn(pool: pg.Pool, clinicId: number, w: WalkInInput, vaccinatorId: number | null): Promise<{ personId: string; doseRecordId: string }> {
  const id = await checkTypedIdentifier(pool, w.identifier, w.dateOfBirth);
  if (!id.ok) throw new InputError('identifier', id.message);
  if (!w.givenName.trim()) throw new InputError('givenName', { en: 'Give the first name.', fr: 'Indiquez le prénom.' });
  if (!w.familyName.trim()) throw new InputError('familyName', { en: 'Give the last name.', fr: 'Indiquez le nom de famille.' });
  const clinic = await clinicOf(pool, clinicId);
  const today = localDate(new Date(), clinic.time_zone);
  const dobProblem = dateOfBirthProblem(w.dateOfBirth, today);
  if (dobProblem) throw new InputError('dateOfBirth', dobProblem);
  const given = await administration(pool, clinicId, w.administration, undefined, vaccinatorId);
  const day = localDate(given.administeredAt, clinic.time_zone);
  if (day < addDays(today, -WALK_IN_BACKFILL_DAYS)) {
    throw new InputError('administeredAt', {
      en: `A walk-in's dose is recorded within ${WALK_IN_BACKFILL_DAYS} days; an older dose is recorded with the dose history import.`,
      fr: `La dose d’une personne sans rendez-vous s’inscrit dans les ${WALK_IN_BACKFILL_DAYS} jours ; une dose plus ancienne s’inscrit par l’import de l’historique.`,
    });
  }
  try {
    return await withTransaction(pool, async (db) => {
      const personId = await ops.upsertPerson(db, {
        identifierScheme: id.scheme, identifier: id.value, identifierVersion: id.version, dateOfBirth: w.dateOfBirth, givenName: w.givenName.trim(),
        familyName: w.familyName.trim(), language: w.language ?? 'en', email: w.email ?? null, mobile: w.mobile ?? null,
      });
      // Judged on the doses the person has in this transaction: a refusal rolls the registration back with it.
      await checkAdministrable(pool, db, personId, w.dateOfBirth, { productId: given.productId, dose: w.doseNumber, day, timeZone: clinic.time_zone });
      const doseRecordId = await ops.recordWalkIn(db, personId, clinicId, w.doseNumber, given);
      // The appointment booked for this dose is no longer needed: cancelled, its place returned, and the person told why.
      await explainChange(db, 'cancellation', 'This dose was given to you at a clinic without this appointment.');
      await ops.cancelAppointmentOfDose(db, personId, w.doseNumber);
      return { personId, doseRecordId };
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'VB418') {
      throw new Conflict('identity_mismatch', {
        en: 'This health card number is recorded with another date of birth: check the card, and correct the record if it is wrong.',
        fr: 'Ce numéro de carte santé est inscrit avec une autre date de naissance : vérifiez la carte et corrigez le dossier s’il est erroné.',
      });
    }
    if ((err as { code?: string }).code === '23505') throw new Conflict('dose_already_recorded', { en: `This person already has dose ${w.doseNumber} recorded.`, fr: `La dose ${w.doseNumber} est déjà inscrite au dossier de cette personne.` });
    throw err;
  }
}

/**
 * The person's next dose at this clinic, after the last dose recorded: at the
 * recommended interval, or the nearest free day in the window — found by the
 * same search as the portal. An appointment already booked for it is said.
 */
export async function suggestNextDose(pool: pg.Pool, clinicId: number, personId: string) {
  const clinic = await clinicOf(pool, clinicId);
  const person = await people.personById(pool, personId);
  if (!person) throw new NotFound('person');
  const last = (await people.dosesOf(pool, personId)).at(-1);
  if (!last) return { dose: 1, suggestion: null, existing: null, reason: 'no_dose_recorded' as const };
  const product = (await productCatalogue(pool)).find((p) => p.code === last.product_code)!;
  const dose = last.dose_number + 1;
  if (last.dose_number >= product.seriesDoses) return { dose, suggestion: null, existing: null, reason: 'series_complete' as const };
  const existing = await ops.activeAppointment(pool, personId, dose);
  if (existing) return { dose, suggestion: null, existing: { startsAt: clinicTime(existing.starts_at, existing.time_zone), clinic: existing.clinic_name }, reason: 'already_booked' as const };
  const lastDay = localDate(last.administered_at, clinic.time_zone);
  const window = nextDoseWindow(product, dose, lastDay);
  const today = localDate(new Date(), clinic.time_zone);
  const from = window.earliest > today ? window.earliest : today;
  const found = await searchAvailability(pool, {
    latitude: clinic.latitude, longitude: clinic.longitude, radiusKm: 0.5, from, to: window.latest ?? addDays(from, 90), dateOfBirth: person.date_of_birth,
    dose, previous: { day: lastDay, productCode: product.code }, accessibility: [], limit: 5,
  }, false);
  const here = found.items.find((c) => c.clinic.id === clinicId);
  const day = here && suggestDay(here.days.map((d) => d.day), window);
  const offered = here?.days.find((d) => d.day === day);
  // Search gives first times for the first days only: the chosen day's own times are read.
  const slot = offered && (await daySlots(pool, clinicId, offered.day, offered.product.code))?.[0];
  if (!offered || !slot) return { dose, suggestion: null, existing: null, reason: 'nothing_free_here' as const };
  return { dose, existing: null, reason: null,
    suggestion: { day: offered.day, slotId: slot.slotId, startsAt: slot.startsAt, product: offered.product.code, recommended: window.recommended } };
}

/** Books the person's next dose (the suggested time, or the slot given) with the booking engine, channel: clinic. */
export async function bookNextDose(pool: pg.Pool, clinicId: number, personId: string, slotId?: number,
  contact: { email?: string; mobile?: string } = {}): Promise<Outcome<BookingResult>> {
  const next = await suggestNextDose(pool, clinicId, personId);
  const chosen = slotId ?? next.suggestion?.slotId;
  if (!chosen) {
    throw new Conflict('no_next_dose', next.reason === 'already_booked'
      ? { en: 'The next dose is booked already.', fr: 'La dose suivante est déjà réservée.' }
      : { en: 'There is no free time for the next dose at this clinic in its window. Book it through the search instead.', fr: "Aucune plage libre pour la dose suivante dans cette clinique pendant l'intervalle permis. Réservez-la plutôt par la recherche." });
  }
  const p = (await people.personById(pool, personId))!;
  const [docType, docNumber] = p.identifier_scheme === 'other-document' ? p.identifier.split(':') : [];
  const person: PersonRequest = {
    ...(docType && docNumber ? { identityDocument: { type: docType, number: docNumber } } : { identifier: p.identifier }),
    dateOfBirth: p.date_of_birth, givenName: p.given_name, familyName: p.family_name, language: p.language,
    ...(contact.email ?? p.email ? { email: contact.email ?? p.email! } : {}), ...(contact.mobile ?? p.mobile ? { mobile: contact.mobile ?? p.mobile! } : {}),
    ...(p.address_line && p.city && p.postal_code ? { address: { line: p.address_line, city: p.city, postalCode: p.postal_code } } : {}),
    ...(p.region_code ? { regionCode: p.region_code } : {}),
  };
  if (!person.email && !person.mobile && !person.address) {
    // A walk-in registered without a contact: the booking needs one, and this request can give it.
    throw new InputError('email', {
      en: 'This person has no e-mail, mobile number or address on record: give an e-mail or a mobile number to book their next dose.',
      fr: 'Cette personne n’a ni courriel, ni cellulaire, ni adresse au dossier : indiquez un courriel ou un numéro de cellulaire pour réserver sa prochaine dose.',
    });
  }
  return createBooking(pool, { slots: [{ dose: next.dose, slotId: chosen }], persons: [person], channel: 'clinic' });
}

export const daySummary = async (pool: pg.Pool, clinicId: number, day?: string) => ops.daySummary(pool, clinicId, day ?? await clinicToday(pool, clinicId));
