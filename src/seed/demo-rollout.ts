import { addDays } from '../domain/calendar.js';
import type { Cohort, Phase, Rollout } from '../domain/rollout.js';
import type { HealthUnit } from './province.js';

/**
 * The demo province's roll-out, shaped like Ontario's in 2021–22 and dated
 * around the day the demo data was loaded (`day0`) so that a new user can try
 * everything: it began eight weeks earlier with an invitation-only soft launch
 * for 80+ and health-care workers in six public-health units, then everyone
 * 80+, then descending age bands week by week (health-care workers and
 * high-risk people with 60+), teenagers, and children 5–11 from day0. Still to
 * come: children 6 months to 4 years, and boosters last.
 */
export function demoRollout(day0: string, units: HealthUnit[]): Rollout {
  const band = (min: number, max?: number): Cohort => ({
    id: max === undefined ? `age-${min}` : `age-${min}-${max}`,
    name: max === undefined
      ? { en: `Adults ${min} and over`, fr: `Adultes de ${min} ans et plus` }
      : min < 12 ? { en: `Children ${min} to ${max}`, fr: `Enfants de ${min} à ${max} ans` } : { en: `Youth ${min} to ${max}`, fr: `Jeunes de ${min} à ${max} ans` },
    minAge: min, ...(max === undefined ? {} : { maxAge: max }),
  });
  const cohorts: Cohort[] = [
    band(80), band(70), band(60), band(50), band(40), band(18), band(12, 17), band(5, 11),
    { id: 'age-0-4', name: { en: 'Children 6 months to 4 years', fr: 'Enfants de 6 mois à 4 ans' }, minAge: 0, maxAge: 4 },
    { id: 'health-care-workers', name: { en: 'Health-care workers and essential caregivers', fr: 'Travailleurs de la santé et proches aidants essentiels' }, groups: ['health_care_worker', 'essential_caregiver'] },
    { id: 'high-risk', name: { en: 'People with high-risk health conditions', fr: 'Personnes ayant des problèmes de santé à risque élevé' }, groups: ['high_risk_condition', 'congregate_setting'] },
  ];
  const on = (days: number) => addDays(day0, days);
  const phase = (id: string, en: string, fr: string, ids: string[], opens: string, extra: Partial<Phase> = {}): Phase =>
    ({ id, name: { en, fr }, cohorts: ids, regions: 'all', opens, doses: 'primary', ...extra });
  const soft = units.filter((u) => u.softLaunch).map((u) => u.code);
  return {
    cohorts,
    phases: [
      phase('soft-launch', 'Soft launch, by invitation', 'Lancement restreint, sur invitation', ['age-80', 'health-care-workers'], on(-56),
        { regions: soft.length ? soft : 'all', invitationOnly: true }),
      phase('phase-1-80', 'Phase 1: 80 and over', 'Phase 1 : 80 ans et plus', ['age-80'], on(-49)),
      phase('phase-1-70', 'Phase 1: 70 and over', 'Phase 1 : 70 ans et plus', ['age-70'], on(-42)),
      phase('phase-2-60', 'Phase 2: 60 and over, health-care workers, high-risk conditions', 'Phase 2 : 60 ans et plus, travailleurs de la santé, conditions à risque élevé',
        ['age-60', 'health-care-workers', 'high-risk'], on(-35)),
      phase('phase-2-50', 'Phase 2: 50 and over', 'Phase 2 : 50 ans et plus', ['age-50'], on(-28)),
      phase('phase-3-40', 'Phase 3: 40 and over', 'Phase 3 : 40 ans et plus', ['age-40'], on(-21)),
      phase('phase-3-18', 'Phase 3: all adults', 'Phase 3 : tous les adultes', ['age-18'], on(-14)),
      phase('youth', 'Youth 12 to 17', 'Jeunes de 12 à 17 ans', ['age-12-17'], on(-7)),
      phase('children', 'Children 5 to 11', 'Enfants de 5 à 11 ans', ['age-5-11'], on(0)),
      phase('young-children', 'Children 6 months to 4 years', 'Enfants de 6 mois à 4 ans', ['age-0-4'], on(21)),
      phase('boosters', 'Boosters for adults', 'Doses de rappel pour les adultes', ['age-18'], on(28), { doses: 'booster' }),
    ],
  };
}
