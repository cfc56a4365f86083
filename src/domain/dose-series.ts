/** Dose-series rules: which product fits an age, and when the next dose is due. */
import { addDays } from './calendar.js';

export interface SeriesProduct {
  code: string;
  seriesDoses: number;
  minAgeMonths: number;
  maxAgeMonths: number | null;
  /** intervals[i] is the gap between dose i+1 and dose i+2 of the primary series. */
  intervals: Array<{ minDays: number; recommendedDays: number; maxDays: number | null }>;
  booster: { minDays: number; minAgeMonths: number } | null;
  interchangeableGroup: string | null;
}

/**
 * When dose `doseNumber` may move to while dose `doseNumber + 1`, booked on
 * `nextDay`, stays where it is: the interval read backwards. `earliest` null
 * means no lower limit from the series.
 */
export function windowBeforeNext(p: SeriesProduct, doseNumber: number, nextDay: string): { earliest: string | null; latest: string } | null {
  const gap = p.intervals[doseNumber - 1];
  if (!Number.isInteger(doseNumber) || doseNumber < 1 || doseNumber >= p.seriesDoses || !gap) return null;
  return { earliest: gap.maxDays === null ? null : addDays(nextDay, -gap.maxDays), latest: addDays(nextDay, -gap.minDays) };
}

/** Calendar days ('YYYY-MM-DD'), inclusive; latest null means no upper limit. */
export interface DoseWindow {
  earliest: string;
  recommended: string;
  latest: string | null;
}

/** Minimum age inclusive, maximum age exclusive (a 12-year-old is past a "5–11" product). */
export function productFitsAge(p: SeriesProduct, ageMonths: number): boolean {
  return ageMonths >= p.minAgeMonths && (p.maxAgeMonths === null || ageMonths < p.maxAgeMonths);
}

/**
 * The window for dose `doseNumber` given the previous dose on `previousDoseDay`.
 * Dose seriesDoses + 1 is the booster: earliest = recommended = booster.minDays
 * after the last dose, no latest day. The booster's age minimum is not checked
 * here; that is productFitsAge's job with the person's age on the chosen day.
 */
export function nextDoseWindow(p: SeriesProduct, doseNumber: number, previousDoseDay: string): DoseWindow {
  if (!Number.isInteger(doseNumber) || doseNumber < 2) {
    throw new RangeError(`dose ${doseNumber} of ${p.code}: only doses 2 and later have a window after a previous dose`);
  }
  if (doseNumber <= p.seriesDoses) {
    const gap = p.intervals[doseNumber - 2];
    if (!gap) throw new RangeError(`${p.code} has ${p.seriesDoses} doses but no interval before dose ${doseNumber}`);
    return {
      earliest: addDays(previousDoseDay, gap.minDays),
      recommended: addDays(previousDoseDay, gap.recommendedDays),
      latest: gap.maxDays === null ? null : addDays(previousDoseDay, gap.maxDays),
    };
  }
  if (doseNumber === p.seriesDoses + 1 && p.booster) {
    const day = addDays(previousDoseDay, p.booster.minDays);
    return { earliest: day, recommended: day, latest: null };
  }
  throw new RangeError(p.booster
    ? `${p.code} has ${p.seriesDoses} doses and one booster; there is no dose ${doseNumber}`
    : `${p.code} has ${p.seriesDoses} dose(s) and no booster; there is no dose ${doseNumber}`);
}

/** The dose-2 window after a first dose, or null for single-dose products. */
export function secondDoseWindowFor(p: SeriesProduct, firstDoseDay: string): DoseWindow | null {
  return p.seriesDoses < 2 ? null : nextDoseWindow(p, 2, firstDoseDay);
}

/** Whether `next` may be given after `previous`: the same product, or both in the same interchangeable group. */
export function canFollow(previous: SeriesProduct, next: SeriesProduct): boolean {
  return previous.code === next.code
    || (previous.interchangeableGroup !== null && previous.interchangeableGroup === next.interchangeableGroup);
}

/** 'YYYY-MM-DD' strings compare correctly as strings. */
export function dayInWindow(day: string, w: DoseWindow): boolean {
  return day >= w.earliest && (w.latest === null || day <= w.latest);
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

/** The in-window candidate closest to w.recommended (ties go to the earlier day), or undefined if none fits. */
export function suggestDay(candidates: string[], w: DoseWindow): string | undefined {
  return nearestInWindow([...candidates].sort(), w);
}

/** suggestDay for days already sorted ascending: a binary search, for callers that ask many times. */
export function nearestInWindow(days: string[], w: DoseWindow): string | undefined {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! < w.recommended) lo = mid + 1; else hi = mid;
  }
  // The nearest candidates are the first day on or after the recommended day and the last day before it.
  const after = days[lo];
  const before = days[lo - 1];
  const okAfter = after !== undefined && (w.latest === null || after <= w.latest) ? after : undefined;
  const okBefore = before !== undefined && before >= w.earliest ? before : undefined;
  if (okAfter === undefined) return okBefore;
  if (okBefore === undefined) return okAfter;
  const target = dayNumber(w.recommended);
  return target - dayNumber(okBefore) <= dayNumber(okAfter) - target ? okBefore : okAfter;
}
