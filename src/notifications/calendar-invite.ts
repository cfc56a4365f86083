/** The .ics attached to appointment e-mails (ical-generator): one event per appointment, cancelled ones as CANCEL with the same UID. */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { MessageFacts } from './templates.js';

export function appointmentCalendar(f: MessageFacts, cancelled: boolean): { content: string; method: 'REQUEST' | 'CANCEL' } | undefined {
  if (!f.appointments.length || f.kind === 'invitation') return undefined;
  const cal = ical({ prodId: { company: 'vaxbook', product: 'vaxbook' }, method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  const summary = f.language === 'fr' ? 'Vaccination' : 'Vaccination appointment';
  for (const a of f.appointments) {
    cal.createEvent({
      id: `appointment-${a.id}@vaxbook`, start: a.startsAt, end: new Date(a.startsAt.getTime() + 15 * 60_000), timezone: a.timeZone,
      summary: `${summary} — ${a.personName} (dose ${a.dose})`, location: `${a.clinicName}, ${a.address}`,
      description: `${f.code}\n${f.link}`, status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: cancelled ? 1 : 0,
    });
  }
  // Previous times of a move are withdrawn in the same file.
  for (const a of f.previous ?? []) {
    cal.createEvent({ id: `appointment-${a.id}@vaxbook`, start: a.startsAt, end: new Date(a.startsAt.getTime() + 15 * 60_000), timezone: a.timeZone,
      summary, status: ICalEventStatus.CANCELLED, sequence: 1 });
  }
  return { content: cal.toString(), method: cancelled ? 'CANCEL' : 'REQUEST' };
}
