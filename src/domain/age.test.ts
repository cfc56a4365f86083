import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ageInMonths, ageInYears, dayTurning, dayTurningMonths, isValidDay } from './age.js';
import { addDays } from './calendar.js';

/** Days from 1900-01-01 to 2099-12-31, as arbitrary calendar dates. */
const dayArb = fc.integer({ min: 0, max: 73048 }).map((n) => addDays('1900-01-01', n));

/** `day` with the year moved by n, clamping 29 Feb to 28 Feb — the same rule ageInMonths uses. */
function addYears(day: string, n: number): string {
  const year = String(Number(day.slice(0, 4)) + n).padStart(4, '0');
  const moved = `${year}${day.slice(4)}`;
  return isValidDay(moved) ? moved : `${year}-02-28`;
}

test('isValidDay accepts only real dates in YYYY-MM-DD form', () => {
  for (const ok of ['2021-01-01', '2024-02-29', '2000-02-29', '2021-12-31', '2021-04-30']) assert.equal(isValidDay(ok), true, ok);
  for (const bad of ['2021-02-29', '1900-02-29', '2021-13-01', '2021-00-10', '2021-04-31', '2021-01-00', '2021-1-1',
    '21-01-01', '2021-01-01T00:00:00Z', ' 2021-01-01', '', 'not a date']) {
    assert.equal(isValidDay(bad), false, bad);
  }
});

test('birthday on the day itself counts; the day before does not', () => {
  assert.equal(ageInYears('2003-06-15', '2021-06-15'), 18);
  assert.equal(ageInYears('2003-06-15', '2021-06-14'), 17);
  assert.equal(ageInMonths('2003-06-15', '2021-06-15'), 18 * 12);
  assert.equal(ageInMonths('2003-06-15', '2021-06-14'), 18 * 12 - 1);
  assert.equal(ageInMonths('2021-06-15', '2021-06-15'), 0);
});

test('29 February births: the birthday is 29 Feb in leap years, 28 Feb otherwise', () => {
  assert.equal(ageInYears('2004-02-29', '2021-02-27'), 16);
  assert.equal(ageInYears('2004-02-29', '2021-02-28'), 17);
  assert.equal(ageInYears('2004-02-29', '2024-02-28'), 19);
  assert.equal(ageInYears('2004-02-29', '2024-02-29'), 20);
  assert.equal(ageInMonths('2004-02-29', '2004-03-28'), 0);
  assert.equal(ageInMonths('2004-02-29', '2004-03-29'), 1);
});

test('end-of-month births complete a month on the last day of shorter months', () => {
  assert.equal(ageInMonths('2021-01-31', '2021-02-27'), 0);
  assert.equal(ageInMonths('2021-01-31', '2021-02-28'), 1);
  assert.equal(ageInMonths('2021-01-31', '2021-03-30'), 1);
  assert.equal(ageInMonths('2021-01-31', '2021-03-31'), 2);
  assert.equal(ageInMonths('2021-01-31', '2021-04-30'), 3);
  assert.equal(ageInMonths('2023-12-31', '2024-02-29'), 2);
  assert.equal(ageInMonths('2021-05-30', '2021-06-30'), 1);
});

test('age is negative before birth', () => {
  assert.equal(ageInMonths('2021-06-15', '2021-06-14'), -1);
  assert.equal(ageInMonths('2021-06-15', '2021-05-14'), -2);
  assert.equal(ageInYears('2021-06-15', '2021-06-14'), -1);
});

test('invalid dates are rejected rather than guessed at', () => {
  assert.throws(() => ageInMonths('2021-02-29', '2022-01-01'), RangeError);
  assert.throws(() => ageInYears('2021-01-01', '2022-1-1'), RangeError);
});

test('property: age never decreases as onDay moves later', () => {
  fc.assert(fc.property(dayArb, dayArb, fc.integer({ min: 0, max: 400 }), (dob, day, step) =>
    ageInMonths(dob, addDays(day, step)) >= ageInMonths(dob, day)));
});

test('property: consecutive days differ by at most one month of age', () => {
  fc.assert(fc.property(dayArb, dayArb, (dob, day) => {
    const diff = ageInMonths(dob, addDays(day, 1)) - ageInMonths(dob, day);
    return diff === 0 || diff === 1;
  }));
});

test('property: n years after birth the age is n, and n - 1 the day before', () => {
  fc.assert(fc.property(dayArb, fc.integer({ min: 1, max: 120 }), (dob, n) => {
    const birthday = addYears(dob, n);
    assert.equal(ageInYears(dob, birthday), n);
    assert.equal(ageInMonths(dob, birthday), 12 * n);
    assert.equal(ageInYears(dob, addDays(birthday, -1)), n - 1);
  }));
});

test('property: 365n days is at most n years; 366n days is at least n years', () => {
  fc.assert(fc.property(dayArb, fc.integer({ min: 0, max: 120 }), (dob, n) => {
    const short = ageInYears(dob, addDays(dob, 365 * n));
    const long = ageInYears(dob, addDays(dob, 366 * n));
    return (short === n || short === n - 1) && (long === n || long === n + 1);
  }));
});

test('dayTurning: the first day of an age, 29 February and month ends included', () => {
  assert.equal(dayTurning('1941-03-15', 80), '2021-03-15');
  assert.equal(dayTurning('1940-02-29', 81), '2021-02-28');
  assert.equal(dayTurning('1940-02-29', 84), '2024-02-29');
  assert.equal(dayTurningMonths('2020-08-31', 6), '2021-02-28');
  assert.equal(dayTurningMonths('2020-01-31', 1), '2020-02-29');
  for (const [dob, years] of [['1941-03-15', 80], ['1940-02-29', 81], ['2009-12-31', 12], ['2016-02-29', 5]] as const) {
    const day = dayTurning(dob, years);
    assert.equal(ageInYears(dob, day), years, `${dob} is ${years} on ${day}`);
    assert.equal(ageInYears(dob, addDays(day, -1)), years - 1, `${dob} is not yet ${years} the day before ${day}`);
  }
});
