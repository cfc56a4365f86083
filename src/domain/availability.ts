import { addDays } from './calendar.js';
import { ageInMonths } from './age.js';
import { canFollow, dayInWindow, nextDoseWindow, productFitsAge, suggestDay, type DoseWindow, type SeriesProduct } from './dose-series.js';

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
 * The dose that follows a dose given on `day` with `product`: same clinic first
 * (day nearest the recommended interval, same product preferred), otherwise the
 * day nearest the recommendation at another clinic, the nearest clinic on ties.
 * `rows` carry each clinic's distance; only rows with free places count.
 */
export function pairNextDose(dateOfBirth: string, dose: number, clinicId: number, day: string, product: Product,
  rows: Array<DayRow & { distanceKm: number }>, products: Map<number, Product>): Dose2Suggestion | null {
  const window = nextDoseWindow(product, dose + 1, day);
  const previous: PreviousDose = { day, product, dose };
  const fits = rows.filter((r) => r.free > 0 && dayInWindow(r.day, window)
    && productAllowed(products.get(r.productId)!, dateOfBirth, r.day, dose + 1, previous));
  const pick = (candidates: typeof fits, sameClinic: boolean): Dose2Suggestion | null => {
    const sameProduct = candidates.filter((r) => r.productId === product.id);
    for (const pool of [sameProduct, candidates]) {
      const best = suggestDay(pool.map((r) => r.day), window);
      if (best === undefined) continue;
      const row = pool.filter((r) => r.day === best).sort((a, b) => a.distanceKm - b.distanceKm || a.clinicId - b.clinicId)[0]!;
      return { clinicId: row.clinicId, day: best, productId: row.productId, sameClinic, window };
    }
    return null;
  };
  return pick(fits.filter((r) => r.clinicId === clinicId), true) ?? pick(fits.filter((r) => r.clinicId !== clinicId), false);
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

export type EmptyReason = 'no_clinics' | 'nothing_published' | 'not_eligible' | 'all_full' | 'no_dose2';

/**
 * Why nothing was offered: the first stage at which every candidate fell out.
 * `rows` are all published rows in range (full ones included) for the clinics
 * that matched the filters. Free, eligible rows that were still not offered
 * lacked a bookable next dose.
 */
export function explainEmpty(clinicCount: number, rows: DayRow[], allowed: (r: DayRow) => boolean): EmptyReason {
  if (clinicCount === 0) return 'no_clinics';
  const published = rows.filter((r) => r.capacity > 0);
  if (published.length === 0) return 'nothing_published';
  const eligible = published.filter(allowed);
  if (eligible.length === 0) return 'not_eligible';
  return eligible.some((r) => r.free > 0) ? 'no_dose2' : 'all_full';
}
