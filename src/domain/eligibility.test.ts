import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PRODUCTS } from '../seed/catalogue.js';
import type { Product } from './availability.js';
import { localDate } from './calendar.js';
import { eligibility, mayBook, nextDose, reasonMessage, type PastDose } from './eligibility.js';
import { entitledOn, rolloutProblems, rolloutVerdict, type PersonFacts, type Rollout } from './rollout.js';

const products: Product[] = DEMO_PRODUCTS.map((p, i) => ({ ...p, id: i + 1 }));
const byCode = (code: string) => products.find((p) => p.code === code)!;

// A small roll-out shaped like Ontario's spring 2021: an invitation-only soft launch, then age bands by region.
const rules: Rollout = {
  cohorts: [
    { id: 'age-80', name: { en: 'Adults 80 and over', fr: 'Adultes de 80 ans et plus' }, minAge: 80 },
    { id: 'born-1951', name: { en: 'Born in 1951 or earlier', fr: 'Nés en 1951 ou avant' }, bornInOrBefore: 1951 },
    { id: 'hcw', name: { en: 'Health-care workers', fr: 'Travailleurs de la santé' }, groups: ['health_care_worker'] },
    { id: 'adults', name: { en: 'Adults 18 and over', fr: 'Adultes de 18 ans et plus' }, minAge: 18 },
    { id: 'kids', name: { en: 'Children 5 to 11', fr: 'Enfants de 5 à 11 ans' }, minAge: 5, maxAge: 11 },
  ],
  phases: [
    { id: 'soft', name: { en: 'Soft launch', fr: 'Lancement restreint' }, cohorts: ['age-80', 'hcw'], regions: ['TOR', 'PEEL'], opens: '2021-03-08', doses: 'primary', invitationOnly: true, invitationCoversDependents: true },
    { id: 'p80', name: { en: '80+', fr: '80+' }, cohorts: ['age-80'], regions: 'all', opens: '2021-03-15', doses: 'primary' },
    { id: 'hcw', name: { en: 'Health-care workers', fr: 'Santé' }, cohorts: ['hcw'], regions: ['TOR'], opens: '2021-03-01', doses: 'primary' },
    { id: 'y1951', name: { en: 'Born 1951', fr: 'Nés 1951' }, cohorts: ['born-1951'], regions: ['OTT'], opens: '2021-03-22', doses: 'primary' },
    { id: 'adults', name: { en: 'Adults', fr: 'Adultes' }, cohorts: ['adults'], regions: 'all', opens: '2021-05-18', doses: 'primary' },
    { id: 'kids', name: { en: 'Children', fr: 'Enfants' }, cohorts: ['kids'], regions: 'all', opens: '2021-11-23', doses: 'primary' },
    { id: 'boost', name: { en: 'Boosters', fr: 'Rappels' }, cohorts: ['adults'], regions: 'all', opens: '2021-12-15', doses: 'booster' },
  ],
};

const person = (over: Partial<PersonFacts> = {}): PersonFacts => ({ dateOfBirth: '1970-06-01', regionCode: 'TOR', groups: [], invitation: null, ...over });
const check = (p: PersonFacts, today: string, history: PastDose[] = [], r: Rollout | null = rules) =>
  eligibility({ rules: r, person: p, history, products, today });

test('the demo-shaped rules are sound, and unsound ones are named field by field', () => {
  assert.deepEqual(rolloutProblems(rules, new Set(['TOR', 'PEEL', 'OTT'])), []);
  const broken: Rollout = {
    cohorts: [...rules.cohorts, { id: 'age-80', name: { en: 'x', fr: 'x' }, minAge: 9, maxAge: 3 }],
    phases: [{ ...rules.phases[0]!, cohorts: ['nobody'], regions: ['MARS'], opens: '2021-02-30' }],
  };
  const fields = rolloutProblems(broken, new Set(['TOR', 'PEEL', 'OTT'])).map((p) => p.field);
  assert.deepEqual(fields.sort(), ['cohorts[5].id', 'cohorts[5].maxAge', 'phases[0].cohorts', 'phases[0].opens', 'phases[0].regions'].sort());
});

test('a birthday on the appointment day: 80 that day is 80, the day before is not', () => {
  const p = person({ dateOfBirth: '1941-04-10', regionCode: 'KING' });
  const e = check(p, '2021-03-20');
  assert.equal(e.eligible, true);
  assert.equal(e.from, '2021-04-10', 'bookable now, for appointments from the 80th birthday');
  assert.equal(mayBook(e, p.dateOfBirth, byCode('pfizer-comirnaty'), '2021-04-10', null), true);
  assert.equal(mayBook(e, p.dateOfBirth, byCode('pfizer-comirnaty'), '2021-04-09', null), false);
});

test('born on 29 February: a birthday in a common year falls on 28 February', () => {
  const r: Rollout = {
    cohorts: [{ id: 'age-81', name: { en: '81+', fr: '81+' }, minAge: 81 }, { id: 'age-80', name: { en: '80+', fr: '80+' }, minAge: 80 }],
    phases: [{ id: 'p', name: { en: 'p', fr: 'p' }, cohorts: ['age-81', 'age-80'], regions: 'all', opens: '2019-01-01', doses: 'primary' }],
  };
  const leapling = person({ dateOfBirth: '1940-02-29' });
  assert.equal(check(leapling, '2019-12-15', [], r).from, '2020-02-29', '80 on the leap day itself');
  const e = check(leapling, '2020-12-15', [], { ...r, phases: [{ ...r.phases[0]!, cohorts: ['age-81'] }] });
  assert.equal(e.from, '2021-02-28', '81 on 28 February 2021');
  assert.equal(entitledOn(e.entitlements, '2021-02-27', null), false);
  assert.equal(check(person({ dateOfBirth: '2020-02-29' }), '2100-01-01', [], { ...r, cohorts: [{ id: 'age-80', name: { en: '80', fr: '80' }, minAge: 80 }], phases: [{ ...r.phases[0]!, cohorts: ['age-80'] }] }).from,
    '2100-02-28', '2100 is not a leap year');
});

test('a phase opening at midnight in Toronto, whatever the server clock zone', () => {
  const p = person({ dateOfBirth: '1935-01-01', regionCode: 'KING' });
  const before = localDate(new Date('2021-03-15T03:59:59Z'), 'America/Toronto'); // 23:59:59 on the 14th in Toronto
  const after = localDate(new Date('2021-03-15T04:00:00Z'), 'America/Toronto');
  assert.equal(before, '2021-03-14');
  assert.equal(after, '2021-03-15');
  const no = check(p, before);
  assert.equal(no.eligible, false);
  assert.deepEqual(no.reasons.slice(0, 2).map((r) => [r.code, r.opensOn]), [['opens_later', '2021-03-15'], ['opens_later', '2021-05-18']]);
  assert.match(reasonMessage(no.reasons[0]!, { cohort: (id) => rules.cohorts.find((c) => c.id === id)?.name, phase: () => undefined }).en,
    /Adults 80 and over: booking opens on March 15, 2021 in your region/);
  assert.equal(check(p, after).eligible, true);
});

test('a person moving region: the region given now decides', () => {
  const p = person({ dateOfBirth: '1950-05-05', regionCode: 'TOR' });
  assert.equal(check(p, '2021-03-25').eligible, false, 'born 1951 or earlier opens only in OTT on the 22nd');
  assert.deepEqual(check(p, '2021-03-25').reasons.map((r) => [r.code, r.cohortId, r.opensOn]), [
    ['opens_later', 'adults', '2021-05-18'], ['opens_later_elsewhere', 'born-1951', undefined]], 'turning 80 in 2030 is not news');
  assert.deepEqual(check(person({ dateOfBirth: '1941-09-01', regionCode: 'KING' }), '2021-03-25').reasons.map((r) => [r.code, r.cohortId, r.opensOn]),
    [['opens_later', 'adults', '2021-05-18'], ['age_later', 'age-80', '2021-09-01'], ['opens_later_elsewhere', 'born-1951', undefined]]);
  const moved = check({ ...p, regionCode: 'OTT' }, '2021-03-25');
  assert.equal(moved.eligible, true);
  assert.equal(moved.from, '2021-03-25');
  assert.ok(check({ ...p, regionCode: null }, '2021-03-25').reasons.some((r) => r.code === 'region_unknown' && r.cohortId === 'born-1951'));
});

test('a declared group plus an age cohort: both ways in count, and a staff-only clinic admits only the group', () => {
  const nurse = person({ dateOfBirth: '1938-01-01', regionCode: 'TOR', groups: ['health_care_worker'] });
  const e = check(nurse, '2021-03-16');
  assert.deepEqual(e.entitlements.map((x) => x.phaseId).sort(), ['hcw', 'p80']);
  assert.equal(entitledOn(e.entitlements, '2021-03-20', ['hcw']), true);
  const elder = check(person({ dateOfBirth: '1938-01-01', regionCode: 'TOR' }), '2021-03-16');
  assert.equal(elder.eligible, true);
  assert.equal(entitledOn(elder.entitlements, '2021-03-20', ['hcw']), false, 'the hospital staff clinic is not for them');
  const young = check(person({ dateOfBirth: '1990-01-01', regionCode: 'TOR', groups: ['health_care_worker'] }), '2021-03-02');
  assert.equal(young.eligible, true);
  assert.equal(check(person({ dateOfBirth: '1990-01-01', regionCode: 'PEEL', groups: ['health_care_worker'] }), '2021-03-02').eligible, false);
});

test('invitation-only soft launch: the code opens it, for its cohort and region, and for dependents when the phase says so', () => {
  const elder = person({ dateOfBirth: '1935-01-01', regionCode: 'PEEL' });
  const no = check(elder, '2021-03-10');
  assert.equal(no.eligible, false);
  assert.deepEqual(no.reasons.map((r) => [r.code, r.phaseId]),
    [['opens_later', 'p80'], ['opens_later', 'adults'], ['invitation_required', 'soft'], ['opens_later_elsewhere', 'y1951']]);
  const invited = check({ ...elder, invitation: { cohortId: 'age-80', regionCode: 'PEEL', asDependent: false } }, '2021-03-10');
  assert.equal(invited.eligible, true);
  assert.equal(invited.entitlements[0]!.invited, true);
  assert.equal(check({ ...elder, invitation: { cohortId: 'age-80', regionCode: 'OTT', asDependent: false } }, '2021-03-10').eligible, false,
    'an invitation from a region outside the phase opens nothing');
  const grandchild = person({ dateOfBirth: '2004-01-01', regionCode: 'PEEL', invitation: { cohortId: 'age-80', regionCode: 'PEEL', asDependent: true } });
  assert.equal(check(grandchild, '2021-03-10').eligible, true, 'covered as a dependent');
  assert.equal(check({ ...grandchild, invitation: null }, '2021-03-10').eligible, false);
});

test('dose history: dose 2 only in its window, whatever the phases; a booster after its interval and its phase', () => {
  const child = person({ dateOfBirth: '2012-06-01' }); // 8: no phase for children until 23 Nov
  const d1: PastDose = { day: '2021-11-01', product: byCode('pfizer-pediatric') };
  assert.equal(nextDose([d1]).dose, 2);
  const e2 = check(child, '2021-11-05', [d1]);
  assert.equal(e2.eligible, true);
  assert.deepEqual(e2.window, { earliest: '2021-11-22', recommended: '2021-12-27', latest: null });
  assert.equal(e2.from, '2021-11-22');
  assert.deepEqual(e2.products.map((p) => p.code), ['pfizer-pediatric']);
  assert.equal(mayBook(e2, child.dateOfBirth, byCode('pfizer-pediatric'), '2021-11-21', null), false);

  const adult = person({ dateOfBirth: '1970-01-01' });
  const series: PastDose[] = [{ day: '2021-06-01', product: byCode('moderna-spikevax') }, { day: '2021-08-01', product: byCode('pfizer-comirnaty') }];
  assert.deepEqual(nextDose(series).kind, 'booster');
  const early = check(adult, '2021-12-01', series);
  assert.equal(early.eligible, false);
  assert.equal(early.reasons[0]!.code, 'opens_later');
  assert.equal(early.reasons[0]!.opensOn, '2021-12-15');
  const b = check(adult, '2021-12-20', series);
  assert.equal(b.eligible, true);
  assert.equal(b.from, '2021-12-20', '84 days after 1 August is 24 October: long past');
  assert.deepEqual(b.products.map((p) => p.code).sort(), ['moderna-spikevax', 'pfizer-comirnaty']);
  const recent = check(adult, '2021-12-20', [series[0]!, { day: '2021-12-01', product: byCode('pfizer-comirnaty') }]);
  assert.equal(recent.from, '2022-02-23', 'a booster 84 days after the last dose');
});

test('too young for every product: the day the first one fits; no roll-out means open to all', () => {
  const baby = person({ dateOfBirth: '2021-09-15' });
  const e = check(baby, '2021-12-01', [], null);
  assert.equal(e.eligible, true);
  assert.equal(e.from, '2022-03-15', 'the 6-month product');
  const none = check(baby, '2021-12-01', [], { ...rules, phases: [] });
  assert.equal(none.eligible, false);
  assert.deepEqual(none.reasons.map((r) => [r.code, r.opensOn]), [['not_in_cohort', undefined], ['too_young', '2022-03-15']]);
  assert.equal(rolloutVerdict(null, baby, 'booster', '2021-12-01').entitlements.length, 1);
  assert.equal(check(person(), '2021-01-01', [], null).from, '2021-01-01');
});

test('a child ages out of the 5–11 cohort on the 12th birthday', () => {
  const p = person({ dateOfBirth: '2010-01-10' });
  const e = check(p, '2021-12-01');
  assert.equal(e.eligible, true);
  assert.equal(entitledOn(e.entitlements, '2022-01-09', null), true);
  assert.equal(entitledOn(e.entitlements, '2022-01-10', null), false, 'the children phase stops at 12 ...');
  const twelve = check(person({ dateOfBirth: '2009-11-01' }), '2021-12-01');
  assert.equal(twelve.eligible, false, 'too old for the children, too young for the adults');
  assert.deepEqual(twelve.reasons.map((r) => r.code), ['not_in_cohort'], 'adults at 18 is six years away');

});

test('a baby in a group whose booking opens soon is told first that no vaccine suits their age until later', () => {
  // Children's phase opens on 23 November 2021; the youngest vaccine (6 months) fits this baby from 1 April 2022.
  const r: Rollout = { cohorts: [{ id: 'all', name: { en: 'Everyone', fr: 'Tout le monde' } }],
    phases: [{ id: 'all', name: { en: 'All', fr: 'Tous' }, cohorts: ['all'], regions: 'all', opens: '2021-11-23', doses: 'primary' }] };
  const baby = check(person({ dateOfBirth: '2021-10-01' }), '2021-11-02', [], r);
  assert.equal(baby.eligible, false);
  assert.deepEqual(baby.reasons.map((x) => [x.code, x.opensOn]), [['too_young', '2022-04-01'], ['opens_later', '2021-11-23']]);
  // Old enough when booking opens: only the opening date is news.
  const child = check(person({ dateOfBirth: '2015-10-01' }), '2021-11-02', [], r);
  assert.deepEqual(child.reasons.map((x) => x.code), ['opens_later']);
});
