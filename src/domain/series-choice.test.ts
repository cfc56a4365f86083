import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PRODUCTS } from '../seed/catalogue.js';
import { checkSeriesChoice } from './series-choice.js';

const product = (code: string) => DEMO_PRODUCTS.find((p) => p.code === code)!;
const pfizer = product('pfizer-comirnaty');
const moderna = product('moderna-spikevax');
const janssen = product('janssen');

test('a valid two-dose series passes', () => {
  assert.equal(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: pfizer }, { dose: 2, day: '2021-04-26', product: pfizer }]), null);
});

test('dose 2 before the minimum interval is refused with the window', () => {
  assert.deepEqual(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: pfizer }, { dose: 2, day: '2021-03-21', product: pfizer }]),
    { problem: 'interval', dose: 2, earliest: '2021-03-22', latest: null });
});

test('the age is computed at each dose day: a 12th birthday between doses', () => {
  // Turns 12 on 2021-03-10: too young for the 12+ product on 1 March.
  assert.deepEqual(checkSeriesChoice('2009-03-10', [{ dose: 1, day: '2021-03-01', product: pfizer }, { dose: 2, day: '2021-04-26', product: pfizer }]), { problem: 'age', dose: 1, product: 'pfizer-comirnaty' });
  assert.equal(checkSeriesChoice('2009-03-10', [{ dose: 1, day: '2021-03-10', product: pfizer }, { dose: 2, day: '2021-04-26', product: pfizer }]), null);
});

test('mRNA products may follow each other; others may not', () => {
  assert.equal(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: pfizer }, { dose: 2, day: '2021-04-26', product: moderna }]), null);
  assert.deepEqual(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: janssen }, { dose: 2, day: '2021-04-26', product: pfizer }]), { problem: 'product_mix', dose: 2 });
});

test('doses must be consecutive', () => {
  assert.deepEqual(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: pfizer }, { dose: 3, day: '2021-06-26', product: pfizer }]), { problem: 'dose_order' });
});

test('dose 1 of a two-dose series cannot be booked without dose 2; a single-dose product can', () => {
  assert.deepEqual(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: pfizer }]), { problem: 'pairing_required', dose: 2 });
  assert.equal(checkSeriesChoice('1950-05-01', [{ dose: 1, day: '2021-03-01', product: janssen }]), null);
  assert.equal(checkSeriesChoice('1950-05-01', [{ dose: 2, day: '2021-04-26', product: pfizer }]), null, 'dose 2 alone completes a series begun elsewhere');
});

test('a dose the product does not have is refused, not thrown; without a date of birth the rest is still checked', () => {
  assert.deepEqual(checkSeriesChoice('1950-05-01', [{ dose: 3, day: '2021-03-01', product: janssen }, { dose: 4, day: '2021-04-26', product: janssen }]),
    { problem: 'no_such_dose', dose: 3, product: 'janssen' });
  assert.deepEqual(checkSeriesChoice(null, [{ dose: 2, day: '2021-03-01', product: pfizer }, { dose: 3, day: '2021-03-02', product: pfizer }]),
    { problem: 'interval', dose: 3, earliest: '2021-05-24', latest: null });
  assert.equal(checkSeriesChoice(null, [{ dose: 1, day: '2021-03-01', product: product('pfizer-pediatric') }, { dose: 2, day: '2021-04-26', product: product('pfizer-pediatric') }]), null, 'ages unknown: not checked');
});
