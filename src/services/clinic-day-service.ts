import type pg from 'pg';
import * as days from '../db/repositories/clinic-day-repository.js';
import { reschedule } from '../db/repositories/booking-repository.js';
import { BookingError } from '../domain/booking-errors.js';
import { addDays, clinicTime, localDate } from '../domain/calendar.js';
import { windowBeforeNext, nextDoseWindow } from '../domain/dose-series.js';
import { rankReplacements, type Candidate } from '../domain/rebooking.js';
import { searchAvailability } from './availability-service.js';
import { clinicOf } from './clinic-ops-service.js';
import { InputError } from './input-error.js';
import { withTransaction } from '../db/transaction.js';
import { productCatalogue } from './reference-cache.js';

/**
 * Cancelling clinic-days (a storm, no vaccine, no staff): the days close to
 * new bookings at once; every appointment on them is moved to the nearest
 * equivalent time (mode "auto") or offered one (mode "offer"), and whatever is
 * left is cancelled in one statement. Running it again finishes what a crash
 * interrupted.
 */

export interface Affected {
  confirmationCode: string; dose: number; people: string[]; was: string;
  outcome: 'moved' | 'offered' | 'cancelled';
  replacement: { slotId: number; startsAt: string; day: string; clinicId: number; clinicName: string; distanceKm: number } | null;
}

const SEARCH_RADII = [25, 100];

async function replacementsFor(pool: pg.Pool, clinic: { latitude: number; longitude: number; time_zone: string }, a: days.AffectedRow): Promise<Candidate[]> {
  const products = await productCatalogue(pool);
  const product = products.find((p) => p.code === a.product_code)!;
  const today = localDate(new Date(), clinic.time_zone);
  let from = today;
  let to = addDays(a.day, 21);
  // Keep the series' intervals: after the dose before, and before the dose after (which stays where it is).
  if (a.dose_number > 1 && a.previous_day && a.previous_product) {
    const prev = products.find((p) => p.code === a.previous_product)!;
    const w = nextDoseWindow(prev, a.dose_number, a.previous_day);
    if (w.earliest > from) from = w.earliest;
    if (w.latest && w.latest < to) to = w.latest;
  }
  const before = a.next_day ? windowBeforeNext(product, a.dose_number, a.next_day) : null;
  if (before) {
    if (before.earliest && before.earliest > from) from = before.earliest;
    if (before.latest < to) to = before.latest;
  }
  if (to < from) return [];
  if (to > addDays(from, 91)) to = addDays(from, 91);
  for (const radiusKm of SEARCH_RADII) {
    const found = await searchAvailability(pool, {
      latitude: clinic.latitude, longitude: clinic.longitude, radiusKm, from, to, dateOfBirth: a.people[0]!.date_of_birth,
      alsoFor: a.people.slice(1).map((p) => p.date_of_birth), dose: a.dose_number, productCode: product.code, accessibility: [], limit: 10,
      previous: a.dose_number > 1 && a.previous_day && a.previous_product ? { day: a.previous_day, productCode: a.previous_product } : undefined,
      unpaired: !!a.next_day,
    }, false);
    const candidates = found.items.flatMap((c) => c.days.flatMap((d) => d.firstTimes.map((t) => ({
      clinicId: c.clinic.id, clinicName: c.clinic.name, distanceKm: c.distanceKm, day: d.day, slotId: t.slotId, startsAt: t.startsAt, free: t.free,
    }))));
    if (candidates.length) return rankReplacements(candidates, a.day, a.seats);
  }
  return [];
}

export async function cancelDays(pool: pg.Pool, clinicId: number, from: string, to: string, reason: string, mode: 'offer' | 'auto') {
  if (!reason.trim()) throw new InputError('reason', { en: 'Say why the day is cancelled: people are told.', fr: 'Indiquez pourquoi la journée est annulée : les personnes en sont informées.' });
  const clinic = await clinicOf(pool, clinicId);
  const cancelled = await days.markCancelled(pool, clinicId, from, to, reason.trim());
  if (!cancelled.length) return { days: [], affected: [] as Affected[], cancelledAppointments: 0 };
  const ids = cancelled.map((d) => d.id);
  const affected: Affected[] = [];
  // What each message will offer, by booking and dose.
  const offers: Record<string, { startsAt: string; clinicId: number }> = {};
  for (const a of await days.affectedAppointments(pool, ids)) {
    const options = await replacementsFor(pool, clinic, a);
    let outcome: Affected['outcome'] = options.length ? 'offered' : 'cancelled';
    let chosen = options[0] ?? null;
    if (mode === 'auto') {
      outcome = 'cancelled';
      chosen = null;
      // The best first; a place taken meanwhile by someone else: the next best.
      for (const o of options.slice(0, 5)) {
        try {
          await withTransaction(pool, async (db) => {
            await days.explainChange(db, 'reschedule', reason.trim()); // the message says why they were moved
            await reschedule(db, a.booking_id, a.dose_number, o.slotId);
          });
          outcome = 'moved';
          chosen = o;
          break;
        } catch (err) {
          if (!(err instanceof BookingError)) throw err;
        }
      }
    }
    if (outcome === 'offered' && chosen) offers[`${a.booking_id}:${a.dose_number}`] = { startsAt: chosen.startsAt, clinicId: chosen.clinicId };
    affected.push({
      confirmationCode: a.confirmation_code, dose: a.dose_number, people: a.people.map((p) => p.given_name), was: clinicTime(a.starts_at, clinic.time_zone), outcome,
      replacement: chosen && { slotId: chosen.slotId, startsAt: chosen.startsAt, day: chosen.day, clinicId: chosen.clinicId, clinicName: chosen.clinicName, distanceKm: Math.round(chosen.distanceKm * 10) / 10 },
    });
  }
  const n = await withTransaction(pool, async (db) => {
    await days.explainChange(db, 'clinic_day_cancelled', reason.trim(), offers);
    return days.cancelAppointmentsOn(db, ids);
  });
  return { days: cancelled.map((d) => d.day).sort(), affected, cancelledAppointments: n };
}
