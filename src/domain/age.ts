/**
 * Ages from calendar dates ('YYYY-MM-DD'). Eligibility is decided on calendar
 * days in the clinic's time zone, so no clock or time zone is involved here.
 */

interface Ymd { year: number; month: number; day: number }

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseDay(s: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function mustParse(s: string, name: string): Ymd {
  const d = parseDay(s);
  if (!d) throw new RangeError(`${name} must be a real calendar date in YYYY-MM-DD form, got '${s}'`);
  return d;
}

/** True only for real calendar dates written exactly as 'YYYY-MM-DD'. */
export function isValidDay(s: string): boolean {
  return parseDay(s) !== null;
}

/** The earliest date of birth a person may have here (the database refuses earlier ones too). */
export const EARLIEST_BIRTH = '1900-01-01';

/** Why `dateOfBirth` cannot be a living person's on `today`, in both languages, or null when it can. */
export function dateOfBirthProblem(dateOfBirth: string, today: string): { en: string; fr: string } | null {
  if (!isValidDay(dateOfBirth)) return { en: 'The date of birth must be a real date.', fr: 'La date de naissance doit être une vraie date.' };
  if (dateOfBirth > today) return { en: 'The date of birth cannot be in the future.', fr: 'La date de naissance ne peut pas être dans le futur.' };
  if (dateOfBirth < EARLIEST_BIRTH) return { en: 'The date of birth must be on or after 1 January 1900.', fr: 'La date de naissance doit être le 1er janvier 1900 ou après.' };
  return null;
}

/** Why `day` cannot be the date of a dose already had by someone born on `dateOfBirth`, as of `today`; null when it can. */
export function pastDoseDateProblem(day: string, dateOfBirth: string, today: string): { en: string; fr: string } | null {
  if (isValidDay(day) && day <= today && day >= dateOfBirth) return null;
  return { en: 'A dose date must be a real date between birth and today.', fr: 'La date d’une dose doit être une vraie date entre la naissance et aujourd’hui.' };
}

/**
 * Whole months completed from `dateOfBirth` to `onDay`.
 *
 * Rule: a month is completed on the birth day-of-month, or on the last day of
 * any month too short to have it. So someone born 31 January is 1 month old on
 * 28 (or 29) February, and someone born 29 February turns a year older on
 * 28 February in non-leap years. Before birth the result is negative (-1 for
 * the month before birth, and so on), which keeps the function monotonic.
 */
export function ageInMonths(dateOfBirth: string, onDay: string): number {
  const b = mustParse(dateOfBirth, 'dateOfBirth');
  const d = mustParse(onDay, 'onDay');
  const months = (d.year - b.year) * 12 + (d.month - b.month);
  const anniversary = Math.min(b.day, daysInMonth(d.year, d.month));
  return d.day >= anniversary ? months : months - 1;
}

/** Whole years completed; follows the same month rule as ageInMonths. */
export function ageInYears(dateOfBirth: string, onDay: string): number {
  return Math.floor(ageInMonths(dateOfBirth, onDay) / 12);
}

/**
 * The first day on which a person born `dateOfBirth` is `months` months old,
 * by the same rule as ageInMonths (a birthday on the 31st, or on 29 February,
 * falls on the last day of a shorter month).
 */
export function dayTurningMonths(dateOfBirth: string, months: number): string {
  const b = mustParse(dateOfBirth, 'dateOfBirth');
  const index = b.year * 12 + (b.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(b.day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first day on which a person born `dateOfBirth` is `years` old. */
export function dayTurning(dateOfBirth: string, years: number): string {
  return dayTurningMonths(dateOfBirth, years * 12);
}
