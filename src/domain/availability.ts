import { addDays } from './calendar.js';
import { ageInMonths } from './age.js';
import { canFollow, dayInWindow, nearestInWindow, nextDoseWindow, productFitsAge, type DoseWindow, type SeriesProduct } from './dose-series.js';

/**
 * Which clinic-days a person may be offered, and the dose 2 that makes a
 * dose 1 bookable. Pure: the service fetches the rows, these rules decide.
 */

export interface Product extends SeriesProduct { id: number; name: string }

/** Free places of one product on one published clinic-day (only future slots count). */
export interface DayRow { clinicId: number; clinicDayId: number; day: string; productId: number; free: number; capacity: number }

export interface PreviousDose { day: string; product: Product; dose: number }

export interface Dose2Suggestion { clinicId: number; day: string; productId: number; sameClinic: boolean; window: DoseWindow }

/** Whether `product` may be given as dose `dose` on `day` to a person born `dateOfBirth`. */
export function productAllowed(product: Product, dateOfBirth: string, day: string, dose: number, previous?: PreviousDose): boolean {
  const age = ageInMonths(dateOfBirth, day);
  if (dose === 1) return !previous && productFitsAge(product, age);
  if (!previous || previous.dose !== dose - 1) return false;
  if (dose > previous.product.seriesDoses) {
    // A booster: after a complete series, from the booster's own minimum age.
    return product.booster !== null && age >= product.booster.minAgeMonths && productFitsAge(product, age)
      && day >= addDays(previous.day, product.booster.minDays);
  }
  return productFitsAge(product, age) && canFollow(previous.product, product)
    && dayInWindow(day, nextDoseWindow(previous.product, dose, previous.day));
}

/** A multi-dose primary series is offered only together with its next dose. */
export function needsPairing(product: Product, dose: number): boolean {
  return dose < product.seriesDoses;
}

/**
 * Finds the dose that follows a dose given on `day` with `product`: same
 * clinic first (the day nearest the recommended interval, same product
 * preferred), otherwise the day nearest the recommendation at another clinic,
 * the nearest clinic on ties. Built once per search from the free rows, so
 * each question is a few binary searches.
 */
export function nextDoseFinder(free: Array<{ clinicId: number; productId: number; days: string[] }>, distanceOf: (clinicId: number) => number,
  products: Map<number, Product>, datesOfBirth: string[], dose: number) {
  // clinic → product → sorted days on which that product is free and suits the age of everyone booked together.
  const byClinic = new Map<number, { distanceKm: number; days: Map<number, string[]> }>();
  const ages = new Map<string, number[]>();
  const agesOn = (day: string) => {
    let a = ages.get(day);
    if (a === undefined) ages.set(day, (a = datesOfBirth.map((dob) => ageInMonths(dob, day))));
    return a;
  };
  for (const f of free) {
    const q = products.get(f.productId);
    if (!q) continue;
    const days = f.days.filter((day) => agesOn(day).every((age) => productFitsAge(q, age)));
    if (days.length === 0) continue;
    let clinic = byClinic.get(f.clinicId);
    if (!clinic) byClinic.set(f.clinicId, (clinic = { distanceKm: distanceOf(f.clinicId), days: new Map() }));
    clinic.days.set(f.productId, days);
  }

  const gap = (d: string, w: DoseWindow) => Math.abs(Date.parse(d) - Date.parse(w.recommended));
  /** Best (day, product) at one clinic for the given product choices, or undefined. */
  const bestAt = (clinicId: number, productIds: number[], w: DoseWindow) => {
    let best: { day: string; productId: number } | undefined;
    for (const pid of productIds) {
      const days = byClinic.get(clinicId)?.days.get(pid);
      const day = days && nearestInWindow(days, w);
      if (day && (!best || gap(day, w) < gap(best.day, w) || (gap(day, w) === gap(best.day, w) && day < best.day))) best = { day, productId: pid };
    }
    return best;
  };

  const followers = new Map([...products.values()].map((p) => [p.id,
    [...products.values()].filter((q) => q.id !== p.id && canFollow(p, q)).map((q) => q.id)]));

  return (clinicId: number, day: string, product: Product): Dose2Suggestion | null => {
    const window = nextDoseWindow(product, dose + 1, day);
    const others = followers.get(product.id) ?? [];
    for (const choice of [[product.id], others]) {
      const here = bestAt(clinicId, choice, window);
      if (here) return { clinicId, day: here.day, productId: here.productId, sameClinic: true, window };
    }
    for (const choice of [[product.id], others]) {
      let best: (Dose2Suggestion & { distanceKm: number }) | undefined;
      for (const [otherId, other] of byClinic) {
        if (otherId === clinicId) continue;
        const found = bestAt(otherId, choice, window);
        if (!found) continue;
        const better = !best || gap(found.day, window) < gap(best.day, window)
          || (found.day === best.day && (other.distanceKm < best.distanceKm || (other.distanceKm === best.distanceKm && otherId < best.clinicId)))
          || (gap(found.day, window) === gap(best.day, window) && found.day < best.day);
        if (better) best = { clinicId: otherId, day: found.day, productId: found.productId, sameClinic: false, window, distanceKm: other.distanceKm };
      }
      if (best) return { clinicId: best.clinicId, day: best.day, productId: best.productId, sameClinic: false, window };
    }
    return null;
  };
}

/** The last day a dose following one on `lastDose1Day` could fall on, for fetching rows (null: unbounded). */
export function pairingHorizon(products: Product[], dose: number, firstDay: string, lastDay: string): { from: string; to: string | null } {
  let from: string | null = null;
  let to: string | null = lastDay;
  for (const p of products) {
    if (!needsPairing(p, dose)) continue;
    const w0 = nextDoseWindow(p, dose + 1, firstDay);
    const w1 = nextDoseWindow(p, dose + 1, lastDay);
    if (from === null || w0.earliest < from) from = w0.earliest;
    if (to !== null) to = w1.latest === null ? null : (w1.latest > to ? w1.latest : to);
  }
  return { from: from ?? firstDay, to };
}

export type EmptyReason = 'no_clinics' | 'nothing_published' | 'not_eligible' | 'no_common_product' | 'clinics_restricted' | 'all_full' | 'no_dose2';

/**
 * Why nothing was offered: the first stage at which every candidate fell out.
 * `rows` are all published rows in range (full ones included) for the clinics
 * that matched the filters. Free, eligible rows that were still not offered
 * lacked a bookable next dose. `allowedIfServed` is `allowed` as if every
 * clinic served everyone: rows it lets through were kept out by clinics that
 * serve only some groups.
 */
export function explainEmpty(clinicCount: number, rows: DayRow[], allowed: (r: DayRow) => boolean,
  allowedForEach: Array<(r: DayRow) => boolean> = [], allowedIfServed?: (r: DayRow) => boolean): EmptyReason {
  if (clinicCount === 0) return 'no_clinics';
  const published = rows.filter((r) => r.capacity > 0);
  if (published.length === 0) return 'nothing_published';
  const eligible = published.filter(allowed);
  if (eligible.length === 0) {
    if (allowedIfServed && published.some(allowedIfServed)) return 'clinics_restricted';
    // People booked together (a parent and young children) may each have a vaccine here, only not the same one.
    const each = allowedForEach.length > 1 && allowedForEach.every((ok) => published.some(ok));
    return each ? 'no_common_product' : 'not_eligible';
  }
  return eligible.some((r) => r.free > 0) ? 'no_dose2' : 'all_full';
}
