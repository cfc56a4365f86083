import assert from 'node:assert/strict';
import { test } from 'node:test';
import { administrationProblem } from './administration.js';
import type { SeriesProduct } from './dose-series.js';

const mrna = (code: string, minAgeMonths = 144, maxAgeMonths: number | null = null, group: string | null = 'mrna'): SeriesProduct => ({
  code, seriesDoses: 2, minAgeMonths, maxAgeMonths, intervals: [{ minDays: 21, recommendedDays: 56, maxDays: 112 }],
  booster: { minDays: 168, minAgeMonths: 216 }, interchangeableGroup: group,
});
const pfizer = mrna('pfizer');
const moderna = mrna('moderna');
const paediatric = mrna('paediatric', 6, 60, null);
const janssen: SeriesProduct = { code: 'janssen', seriesDoses: 1, minAgeMonths: 216, maxAgeMonths: null, intervals: [], booster: null, interchangeableGroup: null };

test('a dose is given only as booking allows it: the age on the day, the next dose, a product that may follow, not too soon', () => {
  assert.equal(administrationProblem('1980-05-06', pfizer, 1, '2026-12-03', []), null);
  assert.deepEqual(administrationProblem('1980-05-06', paediatric, 1, '2026-12-03', []), { problem: 'age', product: 'paediatric' });
  assert.deepEqual(administrationProblem('2020-01-01', pfizer, 1, '2026-12-03', []), { problem: 'age', product: 'pfizer' });
  assert.deepEqual(administrationProblem('1980-05-06', pfizer, 3, '2026-12-03', []), { problem: 'dose_not_next', expectedDose: 1 });
  assert.deepEqual(administrationProblem('1980-05-06', pfizer, 1, '2026-12-03', [{ dose: 1, day: '2026-11-01', product: pfizer }]),
    { problem: 'dose_not_next', expectedDose: 2 });
  const had = [{ dose: 1, day: '2026-11-01', product: pfizer }];
  assert.deepEqual(administrationProblem('1980-05-06', pfizer, 2, '2026-11-21', had), { problem: 'too_soon', earliest: '2026-11-22' });
  assert.equal(administrationProblem('1980-05-06', pfizer, 2, '2026-11-22', had), null);
  assert.equal(administrationProblem('1980-05-06', moderna, 2, '2026-12-03', had), null, 'interchangeable');
  assert.equal(administrationProblem('1980-05-06', pfizer, 2, '2027-06-01', had), null, 'late is still given');
  assert.deepEqual(administrationProblem('1980-05-06', janssen, 2, '2026-12-03', had), { problem: 'no_such_dose', dose: 2, product: 'janssen' });
  assert.deepEqual(administrationProblem('1980-05-06', moderna, 2, '2026-12-03', [{ dose: 1, day: '2026-11-01', product: paediatric }]),
    { problem: 'product_mix', previous: 'paediatric' });
  assert.deepEqual(administrationProblem('1980-05-06', moderna, 2, '2026-12-03', [{ dose: 1, day: '2026-11-01', product: janssen }]),
    { problem: 'no_such_dose', dose: 2, product: 'janssen' }, 'the series is complete after one janssen dose');
});
