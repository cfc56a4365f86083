import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankReplacements, type Candidate } from './rebooking.js';

const c = (day: string, km: number, free = 5, slotId = 1): Candidate => ({ clinicId: 1, clinicName: 'x', distanceKm: km, day, slotId, startsAt: `${day}T09:00:00Z`, free });

test('the replacement is the nearest day first, then the nearest clinic; one without room for everyone is never offered', () => {
  const ranked = rankReplacements([c('2027-01-10', 0), c('2027-01-06', 30), c('2027-01-06', 2), c('2027-01-05', 0, 1)], '2027-01-05', 2);
  assert.deepEqual(ranked.map((x) => [x.day, x.distanceKm]), [['2027-01-06', 2], ['2027-01-06', 30], ['2027-01-10', 0]]);
  assert.deepEqual(rankReplacements([c('2027-01-05', 0, 1)], '2027-01-05', 2), []);
});
