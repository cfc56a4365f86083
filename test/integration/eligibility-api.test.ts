import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { localDate, addDays } from '../../src/domain/calendar.js';
import type { Rollout } from '../../src/domain/rollout.js';
import { persons as makePersons, baseReferenceData, session } from '../helpers/fixtures.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { freshDatabase } from '../helpers/db.js';
import { redeem } from '../../src/db/repositories/invitation-repository.js';
import { forgetCachedRollout } from '../../src/services/rollout-service.js';

let app: FastifyInstance;
let pool: pg.Pool;
const token = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${token}` };
const today = localDate(new Date(), 'America/Toronto');

before(async () => {
  ({ pool } = await freshDatabase({ poolSize: 24 }));
  await baseReferenceData(pool);
  await pool.query(`INSERT INTO regions (code, name, latitude, longitude) VALUES ('OTH', 'Other Unit', 45.4, -75.7)`);
  app = await buildApp({ pool, logLevel: process.env.DBG ? 'error' : 'silent', adminToken: token, publicUrl: 'https://vaccine.example.org/?lang=en' });
});
after(() => app.close());

const rules: Rollout = {
  cohorts: [
    { id: 'age-80', name: { en: 'Adults 80 and over', fr: 'Adultes de 80 ans et plus' }, minAge: 80 },
    { id: 'adults', name: { en: 'Adults 18 and over', fr: 'Adultes de 18 ans et plus' }, minAge: 18 },
  ],
  phases: [
    { id: 'soft', name: { en: 'Soft launch', fr: 'Lancement restreint' }, cohorts: ['age-80'], regions: ['TST'], opens: addDays(today, -3), doses: 'primary', invitationOnly: true },
    { id: 'p80', name: { en: '80+', fr: '80+' }, cohorts: ['age-80'], regions: 'all', opens: addDays(today, 10), doses: 'primary' },
    { id: 'adults', name: { en: 'Adults', fr: 'Adultes' }, cohorts: ['adults'], regions: ['OTH'], opens: addDays(today, -1), doses: 'primary' },
  ],
};

/** The test region, clinic and product of baseReferenceData, for sessions. */
async function testClinic() {
  const id = async (sql: string) => (await pool.query<{ id: number }>(sql)).rows[0]!.id;
  return { regionId: await id(`SELECT id FROM regions WHERE code = 'TST'`), clinicId: await id(`SELECT id FROM clinics WHERE code = 'TST-1'`),
    productId: await id(`SELECT id FROM products WHERE code = 'test-mrna'`) };
}

async function putRules(doc: unknown, basedOn: number) {
  return app.inject({ method: 'PUT', url: '/api/v1/admin/rollout', headers: auth, payload: { rules: doc, basedOn, changedBy: 'Ministry operator', note: 'test' } });
}

test('the roll-out is versioned and attributed; a stale edit is refused; a bad document names the field', async () => {
  const none = await app.inject({ method: 'GET', url: '/api/v1/rollout' });
  assert.equal(none.json().version, 0);
  assert.equal(none.json().rules, null);
  assert.equal((await putRules(rules, 0)).statusCode, 200);
  const stale = await putRules(rules, 0);
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().code, 'rollout_changed');
  const bad = await putRules({ ...rules, phases: [{ ...rules.phases[0], regions: ['NOWHERE'] }] }, 1);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'document.phases[0].regions');
  const badShape = await putRules({ ...rules, cohorts: [{ id: 'Bad Id', name: { en: 'x', fr: 'x' } }] }, 1);
  assert.equal(badShape.statusCode, 400);
  assert.equal(badShape.json().field, 'document.cohorts[0].id');
  const unauth = await app.inject({ method: 'PUT', url: '/api/v1/admin/rollout', payload: { rules, basedOn: 1, changedBy: 'x' } });
  assert.equal(unauth.statusCode, 401);
  const versions = await app.inject({ method: 'GET', url: '/api/v1/admin/rollout/versions', headers: auth });
  assert.deepEqual(versions.json().items.map((v: { version: number; createdBy: string }) => [v.version, v.createdBy]), [[1, 'Ministry operator']]);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/rollout' })).json().version, 1);
});

test('checkEligibility says yes or no, why, and from when, in the language asked', async () => {
  const elder = addDays(today, -(80 * 366));
  const no = await app.inject({ method: 'POST', url: '/api/v1/eligibility', headers: { 'accept-language': 'fr' }, payload: { dateOfBirth: elder, regionCode: 'TST' } });
  assert.equal(no.statusCode, 200, no.body);
  const body = no.json();
  assert.equal(body.eligible, false);
  assert.equal(body.reasons[0].code, 'opens_later');
  assert.equal(body.reasons[0].opensOn, addDays(today, 10));
  assert.match(body.reasons[0].message, /Adultes de 80 ans et plus : la prise de rendez-vous ouvre le/);
  assert.ok(body.reasons.some((r: { code: string }) => r.code === 'invitation_required'));

  const adult = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', postalCode: 'M5V 2T6' } });
  assert.equal(adult.json().eligible, false, 'the postal code is in TST, where adults are not open');
  const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', regionCode: 'OTH' } });
  assert.equal(elsewhere.json().eligible, true);
  assert.equal(elsewhere.json().from, today);
  assert.deepEqual(elsewhere.json().products.map((p: { code: string }) => p.code), ['test-mrna']);
  assert.deepEqual(elsewhere.json().clinicKinds, ['mass_site']);

  const badRegion = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', regionCode: 'ZZZ' } });
  assert.equal(badRegion.statusCode, 400);
  assert.equal(badRegion.json().field, 'regionCode');
  const badPostal = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', postalCode: 'X0X 0X0' } });
  assert.equal(badPostal.json().field, 'postalCode');
  const dose2 = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', regionCode: 'TST', history: [{ date: addDays(today, -30), product: 'test-mrna' }] } });
  assert.equal(dose2.json().eligible, true, 'the second dose of a series started is open whatever the phases');
  assert.equal(dose2.json().dose, 2);
  assert.deepEqual(dose2.json().window, { earliest: addDays(today, -9), recommended: addDays(today, 26), latest: null });
});

test('the region of residence is worked out from a town or postal code as typed; a place outside the area is refused by name', async () => {
  const ask = (place: string) => app.inject({ method: 'POST', url: '/api/v1/eligibility', headers: { 'accept-language': 'fr' }, payload: { dateOfBirth: '1990-01-01', place } });
  for (const place of ['Toronto', 'toronto ', 'M5V 2T6', 'm5v']) {
    const r = await ask(place);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().regionCode, 'TST', place);
  }
  // A postal code no clinic's address carries: the clinic nearest the centre of its area; far away, refused by name.
  const byCode = (postalCode: string) => app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1990-01-01', postalCode } });
  const east = await byCode('M4C 1A1');
  assert.equal(east.statusCode, 200, east.body);
  assert.equal(east.json().regionCode, 'TST');
  const vancouver = await byCode('V5K 1A1');
  assert.equal(vancouver.statusCode, 400);
  assert.equal(vancouver.json().field, 'postalCode');
  const far = await ask('Vancouver');
  assert.equal(far.statusCode, 400);
  assert.equal(far.json().field, 'place');
  assert.match(far.json().message, /hors de la zone couverte/);
  const unknown = await ask('Nowhereville');
  assert.equal(unknown.json().field, 'place');
  assert.match(unknown.json().message, /Nowhereville/);
});

test('checkIdentifier checks what is typed by the scheme, in the language asked, and never says who exists', async () => {
  const good = withCheckDigits('ontario-health-card', '123456789');
  const check = (identifier: string, lang = 'en') => app.inject({ method: 'POST', url: '/api/v1/identifiers/check', headers: { 'accept-language': lang }, payload: { identifier } });
  const ok = await check(`${good.slice(0, 4)}-${good.slice(4, 7)}-${good.slice(7)} ab`);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { valid: true, scheme: 'ontario-health-card', identifier: good, version: 'AB', problem: null, message: null, messages: null });
  const typo = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
  const bad = await check(typo, 'fr');
  assert.equal(bad.json().valid, false);
  assert.equal(bad.json().problem, 'check_digit');
  assert.equal(bad.json().message, bad.json().messages.fr);
  assert.equal((await check('12345')).json().problem, 'length');
  const noBody = await app.inject({ method: 'POST', url: '/api/v1/identifiers/check', payload: {} });
  assert.equal(noBody.statusCode, 400);
  assert.equal(noBody.json().field, 'identifier');
});

test('invitation batches: created, listed, exported as CSV and PDF, redeemed once even by 20 at once, revoked', async () => {
  const created = await app.inject({ method: 'POST', url: '/api/v1/admin/invitation-batches', headers: auth,
    payload: { region: 'TST', cohort: 'age-80', size: 25, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), createdBy: 'Ministry operator' } });
  assert.equal(created.statusCode, 201, created.body);
  const batch = created.json();
  assert.equal(batch.size, 25);
  assert.equal(batch.redeemed, 0);
  const csv = await app.inject({ method: 'GET', url: `/api/v1/admin/invitation-batches/${batch.id}/codes.csv`, headers: auth });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  const lines = csv.body.trimEnd().split('\n');
  assert.equal(lines.length, 26);
  const codes = lines.slice(1).map((l) => l.split(',')[1]!);
  assert.equal(new Set(codes).size, 25);
  assert.ok(lines[1]!.includes('https://vaccine.example.org/?lang=en&invitation='));
  const pdf = await app.inject({ method: 'GET', url: `/api/v1/admin/invitation-batches/${batch.id}/letters.pdf`, headers: auth });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

  // The code opens the invitation-only phase for an 80-year-old of that region.
  const elder = addDays(today, -(80 * 366));
  const invited = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: elder, regionCode: 'TST', invitationCode: codes[0]!.toLowerCase() } });
  assert.equal(invited.json().eligible, true, invited.body);
  assert.equal(invited.json().ways[0].byInvitation, true);

  // 20 people redeem the same code at once, on 20 connections: exactly one wins.
  forgetCachedRollout(pool);
  const people = await makePersons(pool, 20, 'INV');
  const results = await Promise.allSettled(people.map((id) => redeem(pool, codes[1]!, id)));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'VB403');
  const winner = people[results.findIndex((r) => r.status === 'fulfilled')]!;
  await redeem(pool, codes[1]!, winner); // the holder again: no change, no error
  const used = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: elder, regionCode: 'TST', invitationCode: codes[1] } });
  assert.equal(used.json().eligible, false);
  assert.equal(used.json().invitation.status, 'used');
  assert.equal(used.json().reasons[0].code, 'invitation_used');

  const listed = await app.inject({ method: 'GET', url: '/api/v1/admin/invitation-batches', headers: auth });
  assert.equal(listed.json().items[0].redeemed, 1);
  const reprint = await app.inject({ method: 'GET', url: `/api/v1/admin/invitation-batches/${batch.id}/codes.csv`, headers: auth });
  assert.equal(reprint.body.trimEnd().split('\n').length, 25, 'a reprint leaves out the redeemed code');

  const revoked = await app.inject({ method: 'POST', url: `/api/v1/admin/invitation-batches/${batch.id}/revoke`, headers: auth, payload: { revokedBy: 'Ministry operator' } });
  assert.equal(revoked.json().status, 'revoked');
  const after = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: elder, regionCode: 'TST', invitationCode: codes[2] } });
  assert.equal(after.json().invitation.status, 'revoked');
  assert.equal(after.json().eligible, false);
  await assert.rejects(redeem(pool, codes[2]!, people[0]!), (e: { code?: string; detail?: string }) => e.code === 'VB403' && e.detail === 'revoked');
  const unknownCohort = await app.inject({ method: 'POST', url: '/api/v1/admin/invitation-batches', headers: auth,
    payload: { region: 'TST', cohort: 'nobody', size: 1, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), createdBy: 'x' } });
  assert.equal(unknownCohort.statusCode, 400);
  assert.equal(unknownCohort.json().field, 'cohort');
});

test('booking obeys the same rules: identifiers checked, not eligible refused with why, an invitation redeemed once by 20 racing bookings', async () => {
  const ref = await testClinic();
  const d1 = await session(pool, ref, { daysAhead: 3, capacity: 30, slotCount: 4 });
  const d2 = await session(pool, ref, { daysAhead: 3 + 56, capacity: 30, slotCount: 4 });
  const elder = addDays(today, -(80 * 366));
  const who = (n: number, dob: string) => ({ identifier: withCheckDigits('ontario-health-card', `5550${String(n).padStart(5, '0')}`), dateOfBirth: dob,
    givenName: 'Edna', familyName: 'Elder', email: `e${n}@example.org`, regionCode: 'TST' });
  const book = (body: Record<string, unknown>, i = 0) => app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1[i % 4] }, { dose: 2, slotId: d2[i % 4] }], ...body } });

  const typo = await book({ persons: [{ ...who(1, elder), identifier: '1234567890' }] });
  assert.equal(typo.statusCode, 400);
  assert.equal(typo.json().field, 'persons.0.identifier');
  assert.match(typo.json().message, /check digit/);

  const refused = await book({ persons: [who(2, '1990-01-01')] });
  assert.equal(refused.statusCode, 403, refused.body);
  assert.equal(refused.json().code, 'not_eligible');
  assert.ok(refused.json().detail.reasons.length > 0);
  const uninvited = await book({ persons: [who(3, elder)] });
  assert.equal(uninvited.statusCode, 403);

  const batch = (await app.inject({ method: 'POST', url: '/api/v1/admin/invitation-batches', headers: auth,
    payload: { region: 'TST', cohort: 'age-80', size: 2, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), createdBy: 'op' } })).json();
  const csv = await app.inject({ method: 'GET', url: `/api/v1/admin/invitation-batches/${batch.id}/codes.csv`, headers: auth });
  const [code] = csv.body.trimEnd().split('\n').slice(1).map((l) => l.split(',')[1]!);

  const racers = await Promise.all(Array.from({ length: 20 }, (_, n) => book({ persons: [who(100 + n, elder)], invitationCode: code }, n)));
  assert.deepEqual(racers.map((r) => r.statusCode).sort(), [201, ...Array(19).fill(403)]);
  for (const r of racers.filter((x) => x.statusCode === 403)) assert.equal(r.json().code, 'invitation_used');
  const redeemed = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM invitation_codes WHERE code = $1 AND person_id IS NOT NULL`, [code]);
  assert.equal(redeemed.rows[0]!.n, 1);
  const appointments = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments a JOIN persons p ON p.id = a.person_id WHERE p.family_name = 'Elder'`);
  assert.equal(appointments.rows[0]!.n, 2, 'one series booked, none of the refused ones');

  // A second dose alone, after a first dose declared: offered in its window only.
  const [late] = await session(pool, ref, { daysAhead: 20, capacity: 5, slotCount: 1 });
  const declared = { ...who(300, '1990-01-01'), previousDoses: [{ date: addDays(today, -10), product: 'test-mrna' }] };
  const early = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 2, slotId: d1[0] }], persons: [declared] } });
  assert.equal(early.statusCode, 403, 'day 3 is 13 days after dose 1: before the 21-day minimum');
  assert.equal(early.json().detail.reasons[0].code, 'not_before');
  assert.equal(early.json().detail.reasons[0].opensOn, addDays(today, 11));
  const ok = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 2, slotId: late }], persons: [declared] } });
  assert.equal(ok.statusCode, 201, ok.body);
  const wrongDose = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1[1] }, { dose: 2, slotId: d2[1] }], persons: [{ ...who(301, '1990-01-01'), previousDoses: declared.previousDoses }] } });
  assert.equal(wrongDose.statusCode, 422);
  assert.equal(wrongDose.json().code, 'dose_not_next');
  // The same person again, now without mentioning the dose kept from their first request: the record counts, and
  // so does the dose 2 booked since (what comes next is a booster).
  const forgot = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1[2] }, { dose: 2, slotId: d2[2] }], persons: [{ ...declared, previousDoses: undefined }] } });
  assert.equal(forgot.statusCode, 422, forgot.body);
  assert.equal(forgot.json().code, 'dose_not_next');
  assert.equal(forgot.json().detail.expectedDose, 3);
});

test('search offers only what the roll-out opens to the person, and says why when it opens nothing', async () => {
  const search = (extra: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/availability/search',
    payload: { latitude: 43.7, longitude: -79.4, radiusKm: 25, dateOfBirth: '1990-01-01', ...extra } });
  const closed = await search({});
  assert.equal(closed.statusCode, 200, closed.body);
  assert.deepEqual(closed.json().items, [], 'living near TST (nearest clinic), adults are not open there');
  assert.equal(closed.json().explanation.reason, 'not_yet_eligible');
  assert.ok(closed.json().explanation.eligibility.length > 0);
  const open = await search({ regionCode: 'OTH' });
  assert.ok(open.json().items.length > 0, 'a resident of OTH may book at the TST clinic');
  assert.ok((await search({ regionCode: 'OTH', alsoFor: ['1960-05-05'] })).json().items.length > 0, 'with another adult of the household');
  const fromVancouver = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { place: 'V6X 1A1', radiusKm: 25, dateOfBirth: '1990-01-01' } });
  assert.equal(fromVancouver.statusCode, 400, fromVancouver.body);
  assert.equal(fromVancouver.json().field, 'place', 'named as the field the person typed it in');
  const withChild = (await search({ regionCode: 'OTH', alsoFor: ['1960-05-05', '2015-05-05'] })).json();
  const twoChildren = (await search({ regionCode: 'OTH', alsoFor: ['2015-05-05', '2016-06-06'] })).json();
  assert.deepEqual([...new Set(twoChildren.explanation.eligibility.map((e: { person: number }) => e.person))], [1, 2], 'each child\'s reasons');
  assert.deepEqual(withChild.items, [], 'no phase is open to the child booked with them');
  assert.equal(withChild.explanation.reason, 'not_yet_eligible');
  assert.ok(withChild.explanation.eligibility.length > 0 && withChild.explanation.eligibility.every((e: { person: number }) => e.person === 2), 'the reasons are the child\'s');
  const clinicId = open.json().items[0].clinic.id;
  const restrict = await app.inject({ method: 'PUT', url: `/api/v1/admin/clinics/${clinicId}/cohorts`, headers: auth, payload: { cohorts: ['age-80'] } });
  assert.equal(restrict.statusCode, 200, restrict.body);
  const restricted = (await search({ regionCode: 'OTH' })).json();
  assert.deepEqual(restricted.items, [], 'a clinic serving only 80+ is not offered to an adult');
  assert.equal(restricted.explanation.reason, 'clinics_restricted', 'and the adult is told why: not their age, the clinic');
  assert.equal((await app.inject({ method: 'PUT', url: `/api/v1/admin/clinics/${clinicId}/cohorts`, headers: auth, payload: { cohorts: ['nobody'] } })).json().field, 'cohorts');
  await app.inject({ method: 'PUT', url: `/api/v1/admin/clinics/${clinicId}/cohorts`, headers: auth, payload: { cohorts: null } });
  assert.ok((await search({ regionCode: 'OTH' })).json().items.length > 0);
});

test('without a health card: only an agent records another identity document, and the person is flagged for checking', async () => {
  const ref = await testClinic();
  const [s1] = await session(pool, ref, { daysAhead: 5, capacity: 5, slotCount: 1 });
  const [s2] = await session(pool, ref, { daysAhead: 5 + 56, capacity: 5, slotCount: 1 });
  const payload = { slots: [{ dose: 1, slotId: s1 }, { dose: 2, slotId: s2 }],
    persons: [{ identityDocument: { type: 'passport', number: 'hk 123-456' }, dateOfBirth: '1985-07-07', givenName: 'Noor', familyName: 'Newcomer', mobile: '+1 416 555 0100', regionCode: 'OTH' }] };
  const portal = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload });
  assert.equal(portal.statusCode, 400);
  assert.equal(portal.json().field, 'persons.0.identityDocument');
  const agent = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: auth, payload });
  assert.equal(agent.statusCode, 201, agent.body);
  const row = await pool.query<{ identifier_scheme: string; identifier: string; needs_identity_verification: boolean; identity_document: string }>(
    `SELECT identifier_scheme, identifier, needs_identity_verification, identity_document FROM persons WHERE family_name = 'Newcomer'`);
  assert.deepEqual(row.rows, [{ identifier_scheme: 'other-document', identifier: 'passport:HK123456', needs_identity_verification: true, identity_document: 'passport' }]);
  const b = await pool.query<{ channel: string }>(`SELECT b.channel FROM bookings b JOIN persons p ON p.id = b.person_id WHERE p.family_name = 'Newcomer'`);
  assert.equal(b.rows[0]!.channel, 'call_centre');
  const neither = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: auth, payload: { ...payload, persons: [{ ...payload.persons[0], identityDocument: undefined }] } });
  assert.equal(neither.statusCode, 400);
  assert.equal(neither.json().field, 'persons.0.identifier');
});

test('a session serving only some cohorts: its places are neither offered to nor bookable by anyone else', async () => {
  const ref = await testClinic();
  const staffOnly = await session(pool, ref, { daysAhead: 9, capacity: 20, slotCount: 3 });
  const [publicSlot] = await session(pool, ref, { daysAhead: 9, capacity: 1, slotCount: 1, minutes: 5 });
  const sessionOf = async (slot: number) => (await pool.query<{ session_id: number }>('SELECT session_id FROM slots WHERE id = $1', [slot])).rows[0]!.session_id;
  const restrict = await app.inject({ method: 'PUT', url: `/api/v1/admin/sessions/${await sessionOf(staffOnly[0]!)}/cohorts`, headers: auth, payload: { cohorts: ['age-80'] } });
  assert.equal(restrict.statusCode, 200, restrict.body);
  const day = addDays(today, 9);
  const offered = async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { latitude: 43.7, longitude: -79.4, radiusKm: 25, dateOfBirth: '1990-01-01', regionCode: 'OTH', from: day, to: day } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().items.flatMap((c: { days: Array<{ day: string; freeCapacity: number; firstTimes: Array<{ slotId: number }> }> }) => c.days);
  };
  const before = await offered();
  assert.equal(before.length, 1);
  assert.equal(before[0].freeCapacity, 1, 'only the public session counts for an adult');
  assert.deepEqual(before[0].firstTimes.map((t: { slotId: number }) => t.slotId), [publicSlot]);
  const clinicId = ref.clinicId;
  const times = (cohorts?: string) => app.inject({ method: 'GET', url: `/api/v1/clinics/${clinicId}/days/${day}/slots${cohorts ? `?cohorts=${cohorts}` : ''}` });
  assert.deepEqual((await times('adults')).json().items.map((t: { slotId: number }) => t.slotId), [publicSlot]);
  assert.equal((await times('age-80,adults')).json().items.length, 4);

  const [d2] = await session(pool, ref, { daysAhead: 9 + 56, capacity: 5, slotCount: 1 });
  const adult = (n: number) => ({ identifier: withCheckDigits('ontario-health-card', `7770${String(n).padStart(5, '0')}`), dateOfBirth: '1990-01-01',
    givenName: 'Sam', familyName: 'Staff', email: `s${n}@example.org`, regionCode: 'OTH' });
  const intoStaff = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: staffOnly[0] }, { dose: 2, slotId: d2 }], persons: [adult(1)] } });
  assert.equal(intoStaff.statusCode, 403, intoStaff.body);
  assert.equal(intoStaff.json().code, 'clinic_restricted');
  const intoPublic = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: publicSlot }, { dose: 2, slotId: d2 }], persons: [adult(2)] } });
  assert.equal(intoPublic.statusCode, 201, intoPublic.body);
  assert.deepEqual(await offered(), [], 'the public session is full: the day is no longer offered to adults, though the staff session has room');
  // Moving into the staff session is refused as booking into it is, and the appointment stands.
  const code = intoPublic.json().confirmationCode;
  const move = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1990-01-01', dose: 1, slotId: staffOnly[1] } });
  assert.equal(move.statusCode, 403, move.body);
  assert.equal(move.json().code, 'clinic_restricted');
  const still = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '1990-01-01' } });
  assert.deepEqual(still.json().appointments.filter((a: { status: string }) => a.status === 'booked').map((a: { slotId: number }) => a.slotId), [publicSlot, d2]);
});

test('doses imported from a registry count for booking; bad rows are reported by row and field, good ones kept', async () => {
  const ref = await testClinic();
  const [s1] = await session(pool, ref, { daysAhead: 11, capacity: 5, slotCount: 1 });
  const [s2] = await session(pool, ref, { daysAhead: 11 + 56, capacity: 5, slotCount: 1 });
  const id = withCheckDigits('ontario-health-card', '424242424');
  const r = await app.inject({ method: 'POST', url: '/api/v1/admin/dose-records/import', headers: auth, payload: { rows: [
    { identifier: id, dateOfBirth: '1975-03-03', givenName: 'Ira', familyName: 'Imported', doses: [{ date: '2021-08-01', product: 'test-mrna' }, { date: '2021-06-01', product: 'test-mrna' }] },
    { identifier: '1234567890', dateOfBirth: '1975-03-03', givenName: 'Bad', familyName: 'Card', doses: [{ date: '2021-06-01', product: 'test-mrna' }] },
    { identifier: withCheckDigits('ontario-health-card', '434343434'), dateOfBirth: '1975-03-03', givenName: 'No', familyName: 'Product', doses: [{ date: '2021-06-01', product: 'sputnik' }] },
  ] } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().people, 1);
  assert.equal(r.json().dosesAdded, 2);
  assert.deepEqual(r.json().problems.map((p: { field: string }) => p.field), ['rows.1.identifier', 'rows.2.doses.0.product']);
  const again = await app.inject({ method: 'POST', url: '/api/v1/admin/dose-records/import', headers: auth, payload: { rows: [
    { identifier: id, dateOfBirth: '1975-03-03', givenName: 'Ira', familyName: 'Imported', doses: [{ date: '2021-06-01', product: 'test-mrna' }] }] } });
  assert.deepEqual([again.json().dosesAdded, again.json().dosesAlreadyRecorded], [0, 1]);
  const otherBirthday = await app.inject({ method: 'POST', url: '/api/v1/admin/dose-records/import', headers: auth, payload: { rows: [
    { identifier: withCheckDigits('ontario-health-card', '454545454'), dateOfBirth: '1980-01-01', givenName: 'Kept', familyName: 'Row', doses: [{ date: '2021-06-01', product: 'test-mrna' }] },
    { identifier: id, dateOfBirth: '1975-03-04', givenName: 'Ira', familyName: 'Imported', doses: [{ date: '2021-06-01', product: 'test-mrna' }] }] } });
  assert.equal(otherBirthday.statusCode, 200, otherBirthday.body);
  assert.deepEqual(otherBirthday.json().problems.map((p: { field: string }) => p.field), ['rows.1.dateOfBirth'], 'the card is recorded with another date of birth');
  assert.deepEqual([otherBirthday.json().people, otherBirthday.json().dosesAdded], [1, 1], 'the other row is kept');
  const rows = await pool.query<{ dose_number: number; day: string; source: string }>(
    `SELECT d.dose_number, (d.administered_at AT TIME ZONE 'America/Toronto')::date::text AS day, d.source FROM dose_records d JOIN persons p ON p.id = d.person_id
     WHERE p.family_name = 'Imported' ORDER BY 1`);
  assert.deepEqual(rows.rows, [{ dose_number: 1, day: '2021-06-01', source: 'imported' }, { dose_number: 2, day: '2021-08-01', source: 'imported' }]);
  // Booking a first series again for them: the database finds the two recorded doses, the service reads them and refuses.
  const book = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: s1 }, { dose: 2, slotId: s2 }],
    persons: [{ identifier: id, dateOfBirth: '1975-03-03', givenName: 'Ira', familyName: 'Imported', email: 'ira@example.org', regionCode: 'OTH' }] } });
  assert.equal(book.statusCode, 422, book.body);
  assert.equal(book.json().detail.expectedDose, 3);
});

test('a clinic restricted, then opened again, is obeyed at once by bookings of slots already seen', async () => {
  const ref = await testClinic();
  const [s1] = await session(pool, ref, { daysAhead: 15, capacity: 10, slotCount: 1 });
  const [s2] = await session(pool, ref, { daysAhead: 15 + 56, capacity: 10, slotCount: 1 });
  const adult = (n: number) => ({ identifier: withCheckDigits('ontario-health-card', `7880${String(n).padStart(5, '0')}`), dateOfBirth: '1990-01-01',
    givenName: 'Ola', familyName: 'Open', email: `o${n}@example.org`, regionCode: 'OTH' });
  const book = (n: number) => app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: s1 }, { dose: 2, slotId: s2 }], persons: [adult(n)] } });
  const cohorts = (c: string[] | null) => app.inject({ method: 'PUT', url: `/api/v1/admin/clinics/${ref.clinicId}/cohorts`, headers: auth, payload: { cohorts: c } });
  assert.equal((await book(1)).statusCode, 201);
  assert.equal((await cohorts(['age-80'])).statusCode, 200);
  const refused = await book(2);
  assert.equal(refused.statusCode, 403, refused.body);
  assert.equal(refused.json().code, 'clinic_restricted');
  assert.equal((await cohorts(null)).statusCode, 200);
  assert.equal((await book(3)).statusCode, 201, 'open to all again');
});
