import { ageInMonths } from './age.js';
import { canFollow, dayInWindow, nextDoseWindow, productFitsAge, type SeriesProduct } from './dose-series.js';

export interface DosePick { dose: number; day: string; product: SeriesProduct }

export type ChoiceProblem = (
  | { problem: 'age'; dose: number; product: string }
  | { problem: 'product_mix'; dose: number }
  | { problem: 'interval'; dose: number; earliest: string; latest: string | null }
  | { problem: 'dose_order' }
  | { problem: 'no_such_dose'; dose: number; product: string }
  | { problem: 'slot_repeated'; dose: number }
  | { problem: 'pairing_required'; dose: number }
) & { /** Which of several people booked together (0 first), when it is about one of them. */ person?: number };

/**
 * Whether a set of chosen slots is a valid series for a person born on
 * `dateOfBirth` (null: not known yet, ages unchecked): consecutive doses that
 * the product has (its series and booster), each product suitable for the age on its
 * day, products that may follow each other, and every later dose inside its
 * interval window after the one before, and no primary series left half
 * booked. Returns the first problem, or null.
 */
export function checkSeriesChoice(dateOfBirth: string | null, picks: DosePick[]): ChoiceProblem | null {
  const sorted = [...picks].sort((a, b) => a.dose - b.dose);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.dose !== sorted[i - 1]!.dose + 1) return { problem: 'dose_order' };
  }
  for (const [i, pick] of sorted.entries()) {
    if (pick.dose < 1 || pick.dose > pick.product.seriesDoses + (pick.product.booster ? 1 : 0)) {
      return { problem: 'no_such_dose', dose: pick.dose, product: pick.product.code };
    }
    if (dateOfBirth !== null && !productFitsAge(pick.product, ageInMonths(dateOfBirth, pick.day))) {
      return { problem: 'age', dose: pick.dose, product: pick.product.code };
    }
    const previous = sorted[i - 1];
    if (!previous) continue;
    if (!canFollow(previous.product, pick.product)) return { problem: 'product_mix', dose: pick.dose };
    const window = nextDoseWindow(previous.product, pick.dose, previous.day);
    if (!dayInWindow(pick.day, window)) return { problem: 'interval', dose: pick.dose, earliest: window.earliest, latest: window.latest };
  }
  // A primary series is booked whole: the dose that follows must come with it.
  const last = sorted[sorted.length - 1];
  if (last && last.dose < last.product.seriesDoses) return { problem: 'pairing_required', dose: last.dose + 1 };
  return null;
}
