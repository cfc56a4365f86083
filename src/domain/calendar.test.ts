import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, isValidTimeZone, localDate, localParts } from './calendar.js';

test('localDate gives the calendar day in the clinic time zone, not UTC', () => {
  // 02:00 UTC on 15 March is still 14 March in Toronto.
  assert.equal(localDate(new Date('2021-03-15T02:00:00Z'), 'America/Toronto'), '2021-03-14');
  assert.equal(localDate(new Date('2021-03-15T05:00:00Z'), 'America/Toronto'), '2021-03-15');
});

test('addDays crosses month, leap day and DST boundaries by calendar days', () => {
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2021-03-13', 1), '2021-03-14');
  assert.equal(addDays('2021-12-31', 56), '2022-02-25');
  assert.equal(addDays('2021-03-01', -1), '2021-02-28');
});

test('isValidTimeZone', () => {
  assert.equal(isValidTimeZone('America/Toronto'), true);
  assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
});

test('localParts gives the hour on the clock in the time zone, across midnight and daylight saving', () => {
  assert.equal(localParts(new Date('2026-12-02T08:30:00Z'), 'America/Toronto').hour, 3);
  assert.equal(localParts(new Date('2026-12-02T04:59:00Z'), 'America/Toronto').hour, 23);
  assert.equal(localParts(new Date('2026-07-02T08:30:00Z'), 'America/Toronto').hour, 4); // EDT
  assert.equal(localParts(new Date('2026-12-02T00:15:00Z'), 'UTC').hour, 0);
  assert.equal(localParts(new Date('2026-12-02T10:30:00Z'), 'America/St_Johns').hour, 7);
});
