import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainEmpty, type DayRow } from './availability.js';

const row = (productId: number, free: number, capacity = 10): DayRow => ({ clinicId: 1, clinicDayId: 1, day: '2027-01-04', productId, free, capacity });
const adultProduct = (r: DayRow) => r.productId === 1;
const childProduct = (r: DayRow) => r.productId === 2;
const none = () => false;

test('explainEmpty names the first stage at which everything fell out', () => {
  assert.equal(explainEmpty(0, [], none), 'no_clinics');
  assert.equal(explainEmpty(3, [row(1, 0, 0)], none), 'nothing_published');
  assert.equal(explainEmpty(3, [row(1, 5)], none), 'not_eligible');
  assert.equal(explainEmpty(3, [row(1, 0)], adultProduct), 'all_full');
  assert.equal(explainEmpty(3, [row(1, 4)], adultProduct), 'no_dose2');
});

test('people booked together who each have a vaccine, only not the same one, are told to book separately', () => {
  const rows = [row(1, 5), row(2, 5)];
  assert.equal(explainEmpty(3, rows, none, [adultProduct, childProduct]), 'no_common_product');
  assert.equal(explainEmpty(3, [row(1, 5)], none, [adultProduct, childProduct]), 'not_eligible', 'the child has nothing here at all');
  assert.equal(explainEmpty(3, rows, none, [adultProduct]), 'not_eligible', 'one person alone');
});

test('vaccine for the person only at clinics serving other groups: said so, not "not for this age"', () => {
  const servedOthers = (r: DayRow) => r.productId === 1;
  assert.equal(explainEmpty(3, [row(1, 5)], none, [], servedOthers), 'clinics_restricted');
  assert.equal(explainEmpty(3, [row(2, 5)], none, [], servedOthers), 'not_eligible', 'nothing for their age even where everyone is served');
});
