import type pg from 'pg';
import * as people from '../db/repositories/person-repository.js';
import { findBooking } from '../db/repositories/booking-repository.js';
import { checkTypedIdentifier } from './identity-service.js';
import { checkEligibility } from './eligibility-service.js';
import { InputError } from './input-error.js';
import { postalArea } from './place-service.js';
import { messagesOfBooking } from './message-service.js';

/** What an agent needs with a caller on the line: find them, see everything about them, write down the call. */

export interface FindPerson { identifier?: string; dateOfBirth: string; givenName?: string; familyName?: string; postalCode?: string }

export async function findPersons(pool: pg.Pool, f: FindPerson) {
  let rows: people.PersonRow[];
  if (f.identifier) {
    const c = await checkTypedIdentifier(pool, f.identifier, f.dateOfBirth);
    if (!c.ok) throw new InputError('identifier', c.message);
    rows = await people.personsByIdentifier(pool, c.scheme, c.value, f.dateOfBirth);
  } else if (f.givenName?.trim() && f.familyName?.trim()) {
    const area = f.postalCode ? postalArea(f.postalCode) : null;
    if (f.postalCode && !area) throw new InputError('postalCode', { en: 'A postal code looks like K1P 1J1.', fr: 'Un code postal ressemble à K1P 1J1.' });
    rows = await people.personsByNames(pool, f.givenName.trim(), f.familyName.trim(), f.dateOfBirth, area ?? null);
  } else {
    throw new InputError('identifier', {
      en: 'Give the health card number, or the first and last names (with the postal code if you have it).',
      fr: 'Indiquez le numéro de carte Santé, ou le prénom et le nom (avec le code postal si vous l’avez).',
    });
  }
  return rows.map(summary);
}

const summary = (p: people.PersonRow) => ({
  id: p.id, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, identifierScheme: p.identifier_scheme,
  identifier: p.identifier, regionCode: p.region_code, postalCode: p.postal_code, needsIdentityVerification: p.needs_identity_verification,
});

/** The person's record: details, eligibility now, dose history, bookings (with the messages sent about them) and the notes of earlier calls. */
export async function personRecord(pool: pg.Pool, personId: string, lang: 'en' | 'fr') {
  const p = await people.personById(pool, personId);
  if (!p) return undefined;
  const [doses, codes, notes] = await Promise.all([people.dosesOf(pool, personId), people.bookingCodesOf(pool, personId), people.notesOf(pool, personId)]);
  const history = doses.map((d) => ({ date: d.administered_at.toISOString().slice(0, 10), product: d.product_code }));
  const eligibility = await checkEligibility(pool, { dateOfBirth: p.date_of_birth, regionCode: p.region_code ?? undefined, groups: p.groups, history }, lang);
  const bookings = [];
  for (const c of codes) {
    const view = await findBooking(pool, c.code, c.person_dob);
    // What was sent about it, so the agent can answer "I never got my confirmation".
    if (view) bookings.push({ confirmationCode: view.confirmationCode, channel: c.channel, createdAt: c.created_at.toISOString(), appointments: view.appointments,
      messages: await messagesOfBooking(pool, c.id) });
  }
  return {
    person: { ...summary(p), language: p.language, email: p.email, mobile: p.mobile, address: p.address_line ? { line: p.address_line, city: p.city, postalCode: p.postal_code } : null, groups: p.groups },
    eligibility,
    doses: doses.map((d) => ({ dose: d.dose_number, product: d.product_code, productName: d.product_name, administeredAt: d.administered_at.toISOString(), source: d.source, clinic: d.clinic_name, lot: d.lot_number })),
    bookings,
    notes: notes.map((n) => ({ id: n.id, note: n.note, createdAt: n.created_at.toISOString(), by: n.staff_name })),
  };
}

export async function addNote(pool: pg.Pool, personId: string, staffId: number, note: string) {
  if (!note.trim()) throw new InputError('note', { en: 'Write the note first.', fr: 'Écrivez d’abord la note.' });
  if (!(await people.personById(pool, personId))) return undefined;
  const n = await people.addNote(pool, personId, staffId, note.trim());
  return { id: n.id, createdAt: n.created_at.toISOString() };
}

export const bookingByCode = people.bookingByCode;
