import { ageInMonths } from './age.js';
import { canFollow, nextDoseWindow, productFitsAge, type SeriesProduct } from './dose-series.js';

/** A dose already recorded for the person. */
export interface RecordedDose { dose: number; day: string; product: SeriesProduct }

export type AdministrationProblem =
  | { problem: 'age'; product: string }
  | { problem: 'no_such_dose'; dose: number; product: string }
  | { problem: 'dose_not_next'; expectedDose: number }
  | { problem: 'product_mix'; previous: string }
  | { problem: 'too_soon'; earliest: string };

/**
 * Why dose `dose` of `product` cannot be given on `day` to someone born on `dateOfBirth` who has had `recorded`,
 * or null when it can: the same rules a booking is held to — the product suits the age on that day, the dose is
 * the one that comes next, follows the product before, and not before the interval after the dose before. A late
 * dose is still given (it completes the series), so only "too soon" is refused.
 */
export function administrationProblem(dateOfBirth: string, product: SeriesProduct, dose: number, day: string,
  recorded: readonly RecordedDose[]): AdministrationProblem | null {
  if (!productFitsAge(product, ageInMonths(dateOfBirth, day))) return { problem: 'age', product: product.code };
  const expected = recorded.reduce((n, d) => Math.max(n, d.dose), 0) + 1;
  if (dose !== expected) return { problem: 'dose_not_next', expectedDose: expected };
  if (dose > product.seriesDoses + (product.booster ? 1 : 0)) return { problem: 'no_such_dose', dose, product: product.code };
  const previous = recorded.find((d) => d.dose === dose - 1);
  if (!previous) return null;
  // The window is the previous product's: its series (or booster) decides when the next dose may come.
  let earliest: string;
  try {
    earliest = nextDoseWindow(previous.product, dose, previous.day).earliest;
  } catch (err) {
    if (err instanceof RangeError) return { problem: 'no_such_dose', dose, product: previous.product.code }; // a series already complete
    throw err;
  }
  if (!canFollow(previous.product, product)) return { problem: 'product_mix', previous: previous.product.code };
  return day < earliest ? { problem: 'too_soon', earliest } : null;
}

/** What each problem tells the vaccinator, in both languages. */
export function administrationMessage(p: AdministrationProblem): { en: string; fr: string } {
  switch (p.problem) {
    case 'age': return { en: `${p.product} is not approved for this person's age.`, fr: `${p.product} n'est pas autorisé à l'âge de cette personne.` };
    case 'no_such_dose': return { en: `${p.product} has no dose ${p.dose}.`, fr: `${p.product} n'a pas de dose ${p.dose}.` };
    case 'dose_not_next': return { en: `The dose that comes next for this person is dose ${p.expectedDose}.`, fr: `La prochaine dose de cette personne est la dose ${p.expectedDose}.` };
    case 'product_mix': return { en: `This vaccine may not follow ${p.previous}, the person's previous dose.`, fr: `Ce vaccin ne peut pas suivre ${p.previous}, la dose précédente de cette personne.` };
    case 'too_soon': return { en: `Too soon after the previous dose: this dose may be given from ${p.earliest}.`, fr: `Trop tôt après la dose précédente : cette dose peut être donnée à partir du ${p.earliest}.` };
  }
}
