import { ageInMonths, dayTurningMonths } from './age.js';
import { addDays } from './calendar.js';
import { productAllowed, type PreviousDose, type Product } from './availability.js';
import { dayInWindow, nextDoseWindow, type DoseWindow } from './dose-series.js';
import {
  entitledOn, firstEntitledDay, rolloutVerdict, type DoseKind, type Entitlement, type Msg, type PersonFacts, type Reason, type Rollout,
} from './rollout.js';

/**
 * Eligibility: the roll-out (who may book, from when) combined with the
 * person's dose history (which dose is next, in which window, with which
 * products). Search, booking and the screening answer all call `eligibility`,
 * so what one channel offers, another accepts.
 */

/** A dose the person already had (recorded here, declared, or imported). */
export interface PastDose { day: string; product: Product }

export interface NextDose { dose: number; kind: DoseKind; previous?: PreviousDose }

/** The dose that comes next after `history` (any order): dose 1, the rest of the primary series, or a booster. */
export function nextDose(history: readonly PastDose[]): NextDose {
  if (history.length === 0) return { dose: 1, kind: 'primary' };
  const sorted = [...history].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const last = sorted[sorted.length - 1]!;
  const dose = sorted.length + 1;
  return { dose, kind: dose <= last.product.seriesDoses ? 'primary' : 'booster', previous: { day: last.day, product: last.product, dose: dose - 1 } };
}

export type EligibilityReasonCode = Reason['code'] | 'too_young' | 'no_product' | 'interval' | 'not_before';
export interface EligibilityReason { code: EligibilityReasonCode; phaseId?: string; cohortId?: string; opensOn?: string }

export interface Eligibility {
  dose: number;
  kind: DoseKind;
  previous?: PreviousDose;
  /** Can book now (an appointment on `from` or later). */
  eligible: boolean;
  /** The first appointment day open to the person, or null when none is known yet. */
  from: string | null;
  /** For a dose after another: the interval window. */
  window: DoseWindow | null;
  /** Products the person may have for this dose on `from`. */
  products: Product[];
  entitlements: Entitlement[];
  /** Why not (or not yet), soonest "yes" first. */
  reasons: EligibilityReason[];
}

export interface EligibilityInput {
  rules: Rollout | null;
  person: PersonFacts;
  history: readonly PastDose[];
  products: readonly Product[];
  /** The jurisdiction's calendar day now. */
  today: string;
  /** The dose asked about, when the caller knows only the last dose (search), instead of the whole history. */
  next?: NextDose;
}

const OPEN: Entitlement = { phaseId: null, cohortId: null, from: '0001-01-01', until: null, invited: false };

export function eligibility(input: EligibilityInput): Eligibility {
  const { person, today } = input;
  const next = input.next ?? nextDose(input.history);
  const verdict = rolloutVerdict(input.rules, person, next.kind, today);
  let entitlements = verdict.entitlements;
  let reasons: EligibilityReason[] = verdict.reasons;
  let window: DoseWindow | null = null;
  if (next.previous) {
    const prev = next.previous;
    if (next.kind === 'primary') {
      // The rest of a series started is always open: the roll-out decided at dose 1.
      entitlements = [...entitlements, OPEN];
      reasons = [];
      window = nextDoseWindow(prev.product, next.dose, prev.day);
    } else {
      const boosterDays = input.products.filter((p) => p.booster).map((p) => addDays(prev.day, p.booster!.minDays));
      const earliest = boosterDays.sort()[0];
      window = earliest ? { earliest, recommended: earliest, latest: null } : null;
    }
  }
  const allowedOn = (day: string) => input.products.filter((p) => productAllowed(p, person.dateOfBirth, day, next.dose, next.previous));
  let from = firstEntitledDay(entitlements, today);
  if (from !== null && window && window.earliest > from) from = window.earliest;
  if (from !== null && window?.latest && from > window.latest) {
    reasons = [...reasons, { code: 'interval' }];
    from = null;
  }
  let products = from === null ? [] : allowedOn(from);
  if (from !== null && products.length === 0) {
    // Too young for every product today: the day the youngest-age product fits, if the person is still in a way in then.
    const fits = input.products
      .filter((p) => p.maxAgeMonths === null || ageInMonths(person.dateOfBirth, from!) < p.maxAgeMonths)
      .map((p) => dayTurningMonths(person.dateOfBirth, p.minAgeMonths))
      .filter((d) => d > from!)
      .sort();
    const later = fits.find((d) => entitledOn(entitlements, d, null) && (!window || dayInWindow(d, window)) && allowedOn(d).length > 0);
    if (later) {
      from = later;
      products = allowedOn(later);
    } else {
      reasons = [...reasons, fits.length ? { code: 'too_young', opensOn: fits[0] } : { code: 'no_product' }];
      from = null;
    }
  }
  if (from === null && !reasons.some((r) => r.code === 'too_young' || r.code === 'no_product' || r.code === 'interval')) {
    // The roll-out says "not yet"; if no vaccine suits the person's age by then either, say so too, and first when
    // it is the later "yes" (a baby in a group opening next week still waits for the age of the first vaccine).
    const dated = reasons.map((r) => r.opensOn).filter((d): d is string => !!d).sort()[0];
    const opens = dated ?? today;
    if (allowedOn(opens).length === 0) {
      const fit = input.products.map((p) => dayTurningMonths(person.dateOfBirth, p.minAgeMonths))
        .filter((d) => d > opens && allowedOn(d).length > 0).sort()[0];
      const age: EligibilityReason = fit ? { code: 'too_young', opensOn: fit } : { code: 'no_product' };
      reasons = dated ? [age, ...reasons] : [...reasons, age];
    }
  }
  return {
    dose: next.dose, kind: next.kind, previous: next.previous, eligible: from !== null, from, window, products,
    entitlements: from === null ? [] : entitlements, reasons: from === null ? reasons : [],
  };
}

/** Whether `product` may be booked as this dose on `day` at a clinic serving `clinicCohorts` (null: everyone). */
export function mayBook(e: Eligibility, dateOfBirth: string, product: Product, day: string, clinicCohorts: readonly string[] | null): boolean {
  return e.eligible && entitledOn(e.entitlements, day, clinicCohorts) && productAllowed(product, dateOfBirth, day, e.dose, e.previous);
}

/** Names the roll-out gives its cohorts and phases, for messages. */
export interface RolloutNames { cohort: (id: string) => Msg | undefined; phase: (id: string) => Msg | undefined }

function longDay(day: string, lang: 'en' | 'fr'): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-CA' : 'fr-CA', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${day}T12:00:00Z`));
}

/** A reason as a sentence people can act on, in English and French. */
export function reasonMessage(r: EligibilityReason, names: RolloutNames): Msg {
  const cohort = r.cohortId ? names.cohort(r.cohortId) : undefined;
  const who = { en: cohort ? `${cohort.en}: ` : '', fr: cohort ? `${cohort.fr} : ` : '' };
  const on = r.opensOn ? { en: longDay(r.opensOn, 'en'), fr: longDay(r.opensOn, 'fr') } : undefined;
  switch (r.code) {
    case 'opens_later':
      return { en: `${who.en}booking opens on ${on!.en} in your region.`, fr: `${who.fr}la prise de rendez-vous ouvre le ${on!.fr} dans votre région.` };
    case 'age_later':
      return { en: `${who.en}you will be in this group from ${on!.en}.`, fr: `${who.fr}vous ferez partie de ce groupe à partir du ${on!.fr}.` };
    case 'opens_later_elsewhere':
      return { en: `${who.en}booking is open in other regions, not yet in yours.`, fr: `${who.fr}la prise de rendez-vous est ouverte dans d'autres régions, pas encore dans la vôtre.` };
    case 'invitation_required':
      return { en: `${who.en}booking is by invitation only for now: enter the code from your invitation letter.`, fr: `${who.fr}la prise de rendez-vous se fait pour l'instant sur invitation seulement : saisissez le code de votre lettre d'invitation.` };
    case 'region_unknown':
      return { en: `${who.en}booking depends on where you live: give your postal code or region.`, fr: `${who.fr}la prise de rendez-vous dépend de votre lieu de résidence : indiquez votre code postal ou votre région.` };
    case 'not_in_cohort':
      return { en: 'No group open or announced so far includes you. Check again later: new groups are added as supply allows.', fr: "Aucun groupe ouvert ou annoncé jusqu'ici ne vous inclut. Revenez plus tard : de nouveaux groupes s'ajoutent selon l'approvisionnement." };
    case 'too_young':
      return { en: `No vaccine offered is approved for this age yet; the first one will be from ${on!.en}.`, fr: `Aucun vaccin offert n'est encore autorisé à cet âge; le premier le sera à partir du ${on!.fr}.` };
    case 'no_product':
      return { en: 'No vaccine offered is approved for this age and dose.', fr: "Aucun vaccin offert n'est autorisé pour cet âge et cette dose." };
    case 'not_before':
      return { en: `You can book appointments from ${on!.en}: please choose a day from then.`, fr: `Vous pouvez prendre rendez-vous à partir du ${on!.fr} : choisissez un jour à partir de cette date.` };
    case 'interval':
      return { en: 'The interval allowed after your previous dose has passed: please call us to plan your next dose.', fr: 'Le délai permis après votre dose précédente est dépassé : appelez-nous pour planifier votre prochaine dose.' };
  }
}
