import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays, clinicTime, isValidTimeZone, localDate, localParts } from './calendar.js';

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

test('clinicTime writes the clinic\'s wall clock with its offset on that day, and the same instant', () => {
  assert.equal(clinicTime(new Date('2026-12-05T14:00:00.000Z'), 'America/Toronto'), '2026-12-05T09:00:00-05:00');
  assert.equal(clinicTime(new Date('2026-07-05T13:00:00Z'), 'America/Toronto'), '2026-07-05T09:00:00-04:00');
  assert.equal(clinicTime(new Date('2026-12-05T12:30:00Z'), 'America/St_Johns'), '2026-12-05T09:00:00-03:30');
  assert.equal(clinicTime(new Date('2026-12-05T09:00:00Z'), 'UTC'), '2026-12-05T09:00:00Z');
  assert.equal(clinicTime(new Date('2026-12-05T04:30:00Z'), 'Asia/Kolkata'), '2026-12-05T10:00:00+05:30');
  // Either side of a change to daylight saving time, in a whole-hour and a half-hour zone.
  assert.equal(clinicTime(new Date('2026-03-08T06:59:00Z'), 'America/Toronto'), '2026-03-08T01:59:00-05:00');
  assert.equal(clinicTime(new Date('2026-03-08T07:00:00Z'), 'America/Toronto'), '2026-03-08T03:00:00-04:00');
  assert.equal(clinicTime(new Date('2026-03-08T05:29:00Z'), 'America/St_Johns'), '2026-03-08T01:59:00-03:30');
  assert.equal(clinicTime(new Date('2026-03-08T05:30:00Z'), 'America/St_Johns'), '2026-03-08T03:00:00-02:30');
  // Every instant, in zones either side of UTC and across daylight saving, reads back as itself (to the second).
  const zones = ['America/Toronto', 'America/St_Johns', 'America/Vancouver', 'Europe/Brussels', 'Asia/Kolkata', 'UTC'];
  fc.assert(fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
    const instant = new Date(Math.floor(ms / 1000) * 1000);
    const written = clinicTime(instant, zone);
    assert.equal(new Date(written).getTime(), instant.getTime(), written);
    assert.equal(written.slice(0, 10), localDate(instant, zone));
  }));
});
