import type pg from 'pg';
import * as cap from '../db/repositories/capacity-repository.js';
import { withTransaction } from '../db/transaction.js';
import { addDays } from '../domain/calendar.js';
import { isValidDay } from '../domain/age.js';
import { InputError } from './input-error.js';
import { productCatalogue } from './reference-cache.js';
import { clinicToday } from './clinic-ops-service.js';

/** Sessions, shifts and supply: what a clinic manager plans, before publishing it. */

export interface SessionInput { day: string; start: string; end: string; product: string; stations: number; minutesPerAppointment: number }

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

async function productId(pool: pg.Pool, code: string, field: string): Promise<number> {
  const p = (await productCatalogue(pool)).find((x) => x.code === code);
  if (!p) throw new InputError(field, { en: `There is no product "${code}".`, fr: `Le produit « ${code} » n'existe pas.` });
  return p.id;
}

/** A session: slots every `minutesPerAppointment` from start to end, each with one place per station. */
export async function createSession(pool: pg.Pool, clinicId: number, s: SessionInput) {
  if (!TIME.test(s.start)) throw new InputError('start', { en: 'The start time looks like 08:30.', fr: "L'heure de début ressemble à 08:30." });
  if (!TIME.test(s.end) || s.end <= s.start) throw new InputError('end', { en: 'The end time looks like 16:00 and comes after the start.', fr: "L'heure de fin ressemble à 16:00 et suit l'heure de début." });
  const minutes = (Number(s.end.slice(0, 2)) * 60 + Number(s.end.slice(3))) - (Number(s.start.slice(0, 2)) * 60 + Number(s.start.slice(3)));
  if (minutes < s.minutesPerAppointment) throw new InputError('minutesPerAppointment', { en: 'The session is shorter than one appointment.', fr: "La séance est plus courte qu'un rendez-vous." });
  // A day gone by on the clinic's calendar could never be booked: a typo in the year, most likely.
  if (s.day < await clinicToday(pool, clinicId)) {
    throw new InputError('day', { en: 'This day has passed: plan sessions from today on.', fr: "Ce jour est passé : planifiez des séances à partir d'aujourd'hui." });
  }
  const id = await productId(pool, s.product, 'product');
  // Two sessions of one product at once are allowed: a lane kept for some cohorts beside the general one.
  const r = await cap.insertSession(pool, { clinicId, day: s.day, start: s.start, end: s.end, productId: id, stations: s.stations, minutes: s.minutesPerAppointment });
  return { sessionId: r.session_id, slots: r.slots, capacity: r.slots * s.stations };
}

/** Copies a week's sessions (same days of the week, same local times) to another week: all or none, unpublished. */
export async function copyWeek(pool: pg.Pool, clinicId: number, fromWeek: string, toWeek: string) {
  if (!isValidDay(fromWeek)) throw new InputError('fromWeek', { en: 'Give the first day of the week to copy (YYYY-MM-DD).', fr: 'Indiquez le premier jour de la semaine à copier (AAAA-MM-JJ).' });
  if (!isValidDay(toWeek) || toWeek <= fromWeek) throw new InputError('toWeek', { en: 'Give the first day of a later week (YYYY-MM-DD).', fr: "Indiquez le premier jour d'une semaine ultérieure (AAAA-MM-JJ)." });
  if (toWeek < await clinicToday(pool, clinicId)) {
    throw new InputError('toWeek', { en: 'That week has begun: copy into a week that starts today or later.', fr: 'Cette semaine est commencée : copiez dans une semaine qui commence aujourd’hui ou plus tard.' });
  }
  const gap = Math.round((Date.parse(toWeek) - Date.parse(fromWeek)) / 86_400_000);
  const source = await cap.sessionsOf(pool, clinicId, fromWeek, addDays(fromWeek, 6));
  if (!source.length) throw new InputError('fromWeek', { en: 'That week has no sessions to copy.', fr: "Cette semaine n'a aucune séance à copier." });
  const products = await productCatalogue(pool);
  return withTransaction(pool, async (db) => {
    // One copy at a time per clinic, into a week with no sessions yet: pressing "copy" twice does not double the capacity.
    await cap.lockClinicPlanning(db, clinicId);
    if ((await cap.sessionsOf(db, clinicId, toWeek, addDays(toWeek, 6))).length) {
      throw new InputError('toWeek', { en: 'That week already has sessions: copy into an empty week.', fr: 'Cette semaine a déjà des séances : copiez dans une semaine vide.' });
    }
    let slots = 0;
    for (const s of source) {
      const r = await cap.insertSession(db, { clinicId, day: addDays(s.day, gap), start: s.start, end: s.end,
        productId: products.find((p) => p.code === s.product_code)!.id, stations: s.stations, minutes: s.minutes });
      slots += r.slots;
    }
    return { sessions: source.length, slots };
  });
}

export const sessionsOf = (pool: pg.Pool, clinicId: number, from: string, to: string) => cap.sessionsOf(pool, clinicId, from, to);

/** Supply per product, with a warning where appointments to come exceed the doses expected. */
export async function supply(pool: pg.Pool, clinicId: number) {
  return (await cap.supplyOf(pool, clinicId)).map((r) => ({
    product: r.product_code, productName: r.product_name, doses: r.doses, booked: r.booked, short: r.doses !== null && r.booked > r.doses,
  }));
}

export async function setSupply(pool: pg.Pool, clinicId: number, product: string, doses: number, staffId: number | null) {
  await cap.setSupply(pool, clinicId, await productId(pool, product, 'product'), doses, staffId);
  return supply(pool, clinicId);
}
