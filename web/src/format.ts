import i18n from './i18n';

const locale = () => (i18n.language === 'fr' ? 'fr-CA' : 'en-CA');

/** A calendar day ('YYYY-MM-DD') in words, e.g. "Monday, March 15, 2021" / "lundi 15 mars 2021". */
export function longDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

export function shortDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** A time of day in the clinic's time zone. */
export function time(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(), { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** The calendar day of an instant in a time zone. */
export function dayIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function km(x: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(x);
}

/** The time zone's name as it applies on a given instant (summer or winter time). */
export function zoneName(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(locale(), { timeZone, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
