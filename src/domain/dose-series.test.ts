import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEMO_PRODUCTS } from '../seed/catalogue.js';
import { addDays } from './calendar.js';
import {
  canFollow, dayInWindow, nextDoseWindow, productFitsAge, secondDoseWindowFor, suggestDay, windowBeforeNext,
  type DoseWindow, type SeriesProduct,
} from './dose-series.js';

function product(code: string): SeriesProduct {
  const p = DEMO_PRODUCTS.find((x) => x.code === code);
  if (!p) throw new Error(`no product ${code} in the demo catalogue`);
  const { seriesDoses, minAgeMonths, maxAgeMonths, intervals, booster, interchangeableGroup } = p;
  return { code, seriesDoses, minAgeMonths, maxAgeMonths, intervals, booster, interchangeableGroup };
}

const pfizer = product('pfizer-comirnaty');
const pfizerKids = product('pfizer-pediatric');
const moderna = product('moderna-spikevax');
const janssen = product('janssen');

test('Pfizer dose 2: earliest 21 days, recommended 56 days, no latest day', () => {
  assert.deepEqual(nextDoseWindow(pfizer, 2, '2021-03-01'), { earliest: '2021-03-22', recommended: '2021-04-26', latest: null });
  assert.deepEqual(secondDoseWindowFor(pfizer, '2021-03-01'), nextDoseWindow(pfizer, 2, '2021-03-01'));
});

test('Moderna dose 2 is at least 28 days after dose 1', () => {
  const w = secondDoseWindowFor(moderna, '2021-03-01');
  assert.deepEqual(w, { earliest: '2021-03-29', recommended: '2021-04-26', latest: null });
});

test('a maximum interval gives a latest day', () => {
  const p: SeriesProduct = { ...pfizer, intervals: [{ minDays: 21, recommendedDays: 28, maxDays: 42 }] };
  assert.deepEqual(nextDoseWindow(p, 2, '2021-03-01'), { earliest: '2021-03-22', recommended: '2021-03-29', latest: '2021-04-12' });
});

test('moving dose 1 while dose 2 stays: the interval read backwards, and a dose 1 in it keeps dose 2 in its window', () => {
  assert.deepEqual(windowBeforeNext(pfizer, 1, '2021-04-26'), { earliest: null, latest: '2021-04-05' });
  const p: SeriesProduct = { ...pfizer, intervals: [{ minDays: 21, recommendedDays: 28, maxDays: 42 }] };
  const w = windowBeforeNext(p, 1, '2021-04-26')!;
  assert.deepEqual(w, { earliest: '2021-03-15', latest: '2021-04-05' });
  for (const d1 of [w.earliest!, w.latest]) assert.ok(dayInWindow('2021-04-26', nextDoseWindow(p, 2, d1)));
  for (const d1 of [addDays(w.earliest!, -1), addDays(w.latest, 1)]) assert.ok(!dayInWindow('2021-04-26', nextDoseWindow(p, 2, d1)));
  assert.equal(windowBeforeNext(pfizer, 2, '2021-04-26'), null, 'the last dose of the series has no dose after it in the series');
  assert.equal(windowBeforeNext(janssen, 1, '2021-04-26'), null);
});

test('Janssen is single-dose: no second-dose window, and dose 2 is an error', () => {
  assert.equal(secondDoseWindowFor(janssen, '2021-05-01'), null);
  assert.throws(() => nextDoseWindow(janssen, 2, '2021-05-01'), { name: 'RangeError', message: /janssen.*no booster/ });
});

test('booster: 84 days after the last primary dose, with no latest day', () => {
  assert.deepEqual(nextDoseWindow(pfizer, 3, '2021-09-01'), { earliest: '2021-11-24', recommended: '2021-11-24', latest: null });
  assert.equal(nextDoseWindow(moderna, 3, '2021-09-01').earliest, addDays('2021-09-01', 84));
});

test('impossible doses throw RangeError', () => {
  assert.throws(() => nextDoseWindow(pfizer, 1, '2021-03-01'), { name: 'RangeError', message: /dose 1 of pfizer-comirnaty/ });
  assert.throws(() => nextDoseWindow(pfizer, 0, '2021-03-01'), RangeError);
  assert.throws(() => nextDoseWindow(pfizer, 2.5, '2021-03-01'), RangeError);
  assert.throws(() => nextDoseWindow(pfizer, 4, '2021-03-01'), { name: 'RangeError', message: /no dose 4/ });
  assert.throws(() => nextDoseWindow(pfizerKids, 3, '2021-03-01'), { name: 'RangeError', message: /no booster/ });
  const broken: SeriesProduct = { ...pfizer, seriesDoses: 3 };
  assert.throws(() => nextDoseWindow(broken, 3, '2021-03-01'), { name: 'RangeError', message: /no interval before dose 3/ });
});

test('productFitsAge: minimum inclusive, maximum exclusive', () => {
  assert.equal(productFitsAge(pfizer, 12 * 12 - 1), false);
  assert.equal(productFitsAge(pfizer, 12 * 12), true);
  assert.equal(productFitsAge(pfizer, 90 * 12), true);
  assert.equal(productFitsAge(pfizerKids, 5 * 12 - 1), false);
  assert.equal(productFitsAge(pfizerKids, 5 * 12), true);
  assert.equal(productFitsAge(pfizerKids, 12 * 12 - 1), true);
  assert.equal(productFitsAge(pfizerKids, 12 * 12), false);
});

test('canFollow: same product, or same interchangeable group', () => {
  assert.equal(canFollow(pfizer, pfizer), true);
  assert.equal(canFollow(pfizer, moderna), true);
  assert.equal(canFollow(moderna, pfizerKids), true);
  assert.equal(canFollow(janssen, janssen), true);
  assert.equal(canFollow(janssen, pfizer), false);
  assert.equal(canFollow(pfizer, janssen), false);
  // Two products with no group are not interchangeable just because both groups are null.
  assert.equal(canFollow(janssen, { ...janssen, code: 'other' }), false);
});

test('dayInWindow is inclusive at both ends', () => {
  const w: DoseWindow = { earliest: '2021-03-22', recommended: '2021-04-26', latest: '2021-05-01' };
  assert.equal(dayInWindow('2021-03-21', w), false);
  assert.equal(dayInWindow('2021-03-22', w), true);
  assert.equal(dayInWindow('2021-05-01', w), true);
  assert.equal(dayInWindow('2021-05-02', w), false);
  assert.equal(dayInWindow('2030-01-01', { ...w, latest: null }), true);
});

test('suggestDay picks the in-window day closest to recommended, earlier on ties', () => {
  const w: DoseWindow = { earliest: '2021-03-22', recommended: '2021-04-26', latest: '2021-05-01' };
  assert.equal(suggestDay(['2021-03-01', '2021-03-22', '2021-04-20', '2021-05-10'], w), '2021-04-20');
  assert.equal(suggestDay(['2021-04-28', '2021-04-24'], w), '2021-04-24');
  assert.equal(suggestDay(['2021-04-24', '2021-04-28'], w), '2021-04-24');
  assert.equal(suggestDay(['2021-03-01', '2021-05-02'], w), undefined);
  assert.equal(suggestDay([], w), undefined);
});

const windowArb = fc.record({
  start: fc.integer({ min: 0, max: 2000 }),
  toRecommended: fc.integer({ min: 0, max: 120 }),
  toLatest: fc.option(fc.integer({ min: 0, max: 120 })),
}).map(({ start, toRecommended, toLatest }): DoseWindow => ({
  earliest: addDays('2021-01-01', start),
  recommended: addDays('2021-01-01', start + toRecommended),
  latest: toLatest === null ? null : addDays('2021-01-01', start + toRecommended + toLatest),
}));
const candidatesArb = fc.array(fc.integer({ min: -50, max: 2300 }).map((n) => addDays('2021-01-01', n)), { maxLength: 30 });

test('property: suggestDay is in the window and nothing in the window is strictly closer', () => {
  const distance = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b));
  fc.assert(fc.property(windowArb, candidatesArb, (w, candidates) => {
    const inWindow = candidates.filter((d) => dayInWindow(d, w));
    const got = suggestDay(candidates, w);
    if (inWindow.length === 0) return got === undefined;
    assert.ok(got !== undefined && dayInWindow(got, w) && candidates.includes(got));
    for (const d of inWindow) {
      const [dd, gd] = [distance(d, w.recommended), distance(got, w.recommended)];
      assert.ok(dd > gd || (dd === gd && got <= d), `${d} beats ${got} for ${JSON.stringify(w)}`);
    }
    return true;
  }));
});

test('property: suggestDay does not depend on candidate order', () => {
  fc.assert(fc.property(windowArb, candidatesArb, (w, candidates) =>
    suggestDay(candidates, w) === suggestDay([...candidates].reverse(), w)));
});
