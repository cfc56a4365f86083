import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { OPERATIONS, ROLES, type Operation, type Role } from '../../src/domain/staff-policy.js';
import { createStaff } from '../../src/services/staff-service.js';
import { baseReferenceData, middayZone } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/db.js';
import { forgetCachedReferenceData } from '../../src/services/reference-cache.js';

/**
 * The staff API on PostgreSQL: a clinic day end to end, and the authorization
 * matrix — every role × every staff operation × a resource inside and outside
 * the role's scope — with the audit log checked for every attempt.
 */
let app: FastifyInstance;
let pool: pg.Pool;
const ids = { region: 0, clinic: 0, product: 0, outRegion: 0, outClinic: 0 };
const sessions = new Map<Role, { cookie: string; csrf: string; staffId: number }>();
let today = '';
let slotsToday: number[] = [];
let slotsLater: number[] = [];


async function sessionAt(clinicId: number, regionId: number, startSql: string, count: number, capacity: number): Promise<number[]> {
  const r = await pool.query<{ id: string }>(
    `WITH c AS (SELECT time_zone FROM clinics WHERE id = $1),
     d AS (INSERT INTO clinic_days (region_id, clinic_id, day, published_at)
           SELECT $2, $1, ((${startSql}) AT TIME ZONE c.time_zone)::date, now() FROM c
           ON CONFLICT (clinic_id, day) DO UPDATE SET published_at = now() RETURNING id),
     s AS (INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
           SELECT $2, $1, d.id, $3, date_trunc('minute', ${startSql}), date_trunc('minute', ${startSql}) + make_interval(mins => 10 * $4), $5, 10 FROM d RETURNING *)
     INSERT INTO slots (region_id, clinic_id, clinic_day_id, session_id, product_id, starts_at, ends_at, capacity)
     SELECT s.region_id, s.clinic_id, s.clinic_day_id, s.id, s.product_id, s.starts_at + make_interval(mins => 10 * g), s.starts_at + make_interval(mins => 10 * g + 10), s.stations
     FROM s, generate_series(0, $4 - 1) g RETURNING id::text`, [clinicId, regionId, ids.product, count, capacity]);
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

before(async () => {
  ({ pool } = await freshDatabase());
  const ref = await baseReferenceData(pool);
  Object.assign(ids, { region: ref.regionId, clinic: ref.clinicId, product: ref.productId });
  const zone = middayZone();
  await pool.query(`UPDATE clinics SET time_zone = $1 WHERE id = $2`, [zone, ids.clinic]);
  today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
  ids.outRegion = (await pool.query<{ id: number }>(`INSERT INTO regions (code, name, latitude, longitude) VALUES ('OUT', 'Elsewhere', 45.4, -75.7) RETURNING id`)).rows[0]!.id;
  ids.outClinic = (await pool.query<{ id: number }>(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
     VALUES ($1, 'OUT-1', 'Elsewhere Clinic', 'mass_site', '2 Side Street', 'Ottawa', 'K1P 1J1', 45.4, -75.7, 'America/Toronto') RETURNING id`, [ids.outRegion])).rows[0]!.id;
  slotsToday = await sessionAt(ids.clinic, ids.region, `now() + interval '5 minutes'`, 12, 5);
  slotsLater = await sessionAt(ids.clinic, ids.region, `now() + interval '28 days'`, 12, 5);
  await sessionAt(ids.outClinic, ids.outRegion, `now() + interval '5 minutes'`, 3, 5);
  app = await buildApp({ pool, logLevel: 'silent', staffLoginsPerMinute: 1000 });
  for (const role of ROLES) {
    const email = `${role}@health.example.org`;
    await createStaff(pool, { email, displayName: role, role, password: 'a long test password',
      regionIds: role === 'region_manager' ? [ids.region] : [], clinicIds: ['clinic_manager', 'vaccinator', 'reception'].includes(role) ? [ids.clinic] : [] }, null);
    const r = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { email, password: 'a long test password' } });
    assert.equal(r.statusCode, 200, r.body);
    sessions.set(role, { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: r.json().csrfToken, staffId: r.json().staff.id });
  }
});
after(() => app.close());

function as(role: Role, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
  const s = sessions.get(role)!;
  return app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
}

const card = (n: number) => withCheckDigits('ontario-health-card', String(700000000 + n));
const lot = { lotNumber: 'FK1234', lotExpiry: '2099-12-31', site: 'left_deltoid' };

test('a clinic day: the agent books for a caller, the nurse checks them in by code, records the dose, and the record shows it; a walk-in gets the next dose booked at check-out', async () => {
  const booked = await as('agent', 'POST', '/api/v1/staff/bookings', {
    slots: [{ dose: 1, slotId: slotsToday[0] }, { dose: 2, slotId: slotsLater[0] }], reason: 'caller booking both doses',
    persons: [{ identifier: card(1), dateOfBirth: '1970-05-05', givenName: 'Carla', familyName: 'Caller', mobile: '+1 613 555 0101' }],
  });
  assert.equal(booked.statusCode, 201, booked.body);
  const code = booked.json().confirmationCode as string;

  const roster = await as('vaccinator', 'GET', `/api/v1/staff/clinics/${ids.clinic}/roster?q=caller`);
  assert.equal(roster.statusCode, 200, roster.body);
  assert.equal(roster.json().day, today);
  assert.deepEqual(roster.json().items.map((x: { confirmationCode: string; dose: number }) => [x.confirmationCode, x.dose]), [[code, 1]]);

  const checked = await as('reception', 'POST', `/api/v1/staff/clinics/${ids.clinic}/check-in`, { confirmationCode: code.toLowerCase().replace(/-/g, ' ') });
  assert.equal(checked.statusCode, 200, checked.body);
  assert.equal(checked.json().items[0].status, 'checked_in');
  const appointmentId = checked.json().items[0].appointmentId;

  const expired = await as('vaccinator', 'POST', `/api/v1/staff/appointments/${appointmentId}/administration`, { ...lot, lotExpiry: '2020-01-01' });
  assert.deepEqual([expired.statusCode, expired.json().field], [400, 'lotExpiry']);
  const given = await as('vaccinator', 'POST', `/api/v1/staff/appointments/${appointmentId}/administration`, lot);
  assert.equal(given.statusCode, 201, given.body);
  const twice = await as('vaccinator', 'POST', `/api/v1/staff/appointments/${appointmentId}/administration`, lot);
  assert.equal(twice.statusCode, 409, 'a dose is recorded once');

  const found = await as('agent', 'POST', '/api/v1/staff/persons/search', { identifier: card(1), dateOfBirth: '1970-05-05', reason: 'caller asks about dose 2' });
  assert.equal(found.json().items.length, 1);
  const record = await as('agent', 'GET', `/api/v1/staff/persons/${found.json().items[0].id}?reason=${encodeURIComponent('caller asks about dose 2')}`);
  assert.equal(record.statusCode, 200, record.body);
  assert.deepEqual(record.json().doses.map((d: { dose: number; source: string; lot: string }) => [d.dose, d.source, d.lot]), [[1, 'administered', 'FK1234']]);
  assert.equal(record.json().bookings[0].appointments.find((a: { dose: number }) => a.dose === 1).status, 'completed');

  const walkIn = await as('vaccinator', 'POST', `/api/v1/staff/clinics/${ids.clinic}/walk-ins`, {
    identifier: card(2), dateOfBirth: '1980-02-02', givenName: 'Walter', familyName: 'Walkin', mobile: '+1 613 555 0102', doseNumber: 1,
    administration: { ...lot, product: 'test-mrna', site: 'right_deltoid' },
  });
  assert.equal(walkIn.statusCode, 201, walkIn.body);
  const personId = walkIn.json().personId;
  const suggestion = await as('reception', 'GET', `/api/v1/staff/clinics/${ids.clinic}/persons/${personId}/next-dose`);
  assert.equal(suggestion.statusCode, 200, suggestion.body);
  assert.ok(suggestion.json().suggestion, JSON.stringify(suggestion.json()));
  const next = await as('reception', 'POST', `/api/v1/staff/clinics/${ids.clinic}/persons/${personId}/next-dose`, {});
  assert.equal(next.statusCode, 201, next.body);
  assert.equal(next.json().appointments[0].dose, 2);
  assert.equal(next.json().appointments[0].slotId, suggestion.json().suggestion.slotId);
  const again = await as('reception', 'GET', `/api/v1/staff/clinics/${ids.clinic}/persons/${personId}/next-dose`);
  assert.equal(again.json().reason, 'already_booked');

  const summary = await as('clinic_manager', 'GET', `/api/v1/staff/clinics/${ids.clinic}/summary`);
  assert.equal(summary.statusCode, 200, summary.body);
  const { booked: n, checkedIn, administered, noShows, cancelled, walkIns } = summary.json() as Record<string, number>;
  assert.deepEqual({ n, checkedIn, administered, noShows, cancelled, walkIns }, { n: 1, checkedIn: 1, administered: 2, noShows: 0, cancelled: 0, walkIns: 1 });
  assert.deepEqual(summary.json().doses, [{ product: 'test-mrna', lot: 'FK1234', doses: 2 }]);
  const drift = await pool.query(`SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('booked', 'checked_in'))`);
  assert.equal(drift.rows[0].n, 0, 'a dose given returns its seat: counters equal the rows');
});

test('a dose recorded at the clinic keeps the booking rules: its own day, the age, the next dose, the interval; a walk-in\'s dose ends the appointment booked for it', async () => {
  const booked = await as('agent', 'POST', '/api/v1/staff/bookings', {
    slots: [{ dose: 1, slotId: slotsToday[1] }, { dose: 2, slotId: slotsLater[1] }], reason: 'caller booking both doses',
    persons: [{ identifier: card(5), dateOfBirth: '1971-07-07', givenName: 'Rita', familyName: 'Rules', email: 'rita@example.org' }],
  });
  assert.equal(booked.statusCode, 201, booked.body);
  const appointments = (await pool.query<{ id: string; dose_number: number }>(
    `SELECT a.id::text, a.dose_number FROM appointments a JOIN bookings b ON b.id = a.booking_id WHERE b.confirmation_code = $1 ORDER BY a.dose_number`,
    [booked.json().confirmationCode])).rows;
  const [first, second] = appointments.map((a) => a.id);
  const record = (id: string, body: Record<string, unknown>) => as('vaccinator', 'POST', `/api/v1/staff/appointments/${id}/administration`, { ...lot, ...body });
  const ahead = await record(second!, {});
  assert.deepEqual([ahead.statusCode, ahead.json().code], [409, 'appointment_not_today'], 'dose 2 is in 28 days');
  const longAgo = await record(first!, { administeredAt: '2020-03-01T10:00:00Z' });
  assert.deepEqual([longAgo.statusCode, longAgo.json().field], [400, 'administeredAt']);
  await pool.query(`INSERT INTO products (code, name, manufacturer, cvx, min_age_months, max_age_months, doses_per_vial, series_doses)
    VALUES ('test-paediatric', 'Test paediatric', 'Test', '218', 6, 60, 10, 2) ON CONFLICT DO NOTHING`);
  await pool.query(`INSERT INTO product_intervals SELECT id, 1, 21, 56, NULL FROM products WHERE code = 'test-paediatric' ON CONFLICT DO NOTHING`);
  forgetCachedReferenceData(pool);
  const child = await record(first!, { product: 'test-paediatric' });
  assert.deepEqual([child.statusCode, child.json().code], [409, 'dose_not_allowed']);
  assert.match(child.json().message, /not approved for this person's age/);
  assert.equal((await record(first!, {})).statusCode, 201);

  // Walk-ins: a date of birth ahead, a dose that is not the next one, a second dose too soon are refused by name.
  const walkIn = (n: number, dob: string, doseNumber: number, extra: Record<string, unknown> = {}) => as('vaccinator', 'POST', `/api/v1/staff/clinics/${ids.clinic}/walk-ins`, {
    identifier: card(n), dateOfBirth: dob, givenName: 'Wanda', familyName: 'Walkin', email: 'wanda@example.org', doseNumber, administration: { ...lot, product: 'test-mrna', ...extra } });
  const unborn = await walkIn(6, '2099-01-01', 1);
  assert.deepEqual([unborn.statusCode, unborn.json().field], [400, 'dateOfBirth']);
  const third = await walkIn(6, '1972-02-02', 3);
  assert.deepEqual([third.statusCode, third.json().code], [409, 'dose_not_allowed']);
  assert.match(third.json().message, /dose 1/);
  const tooSoon = await walkIn(5, '1971-07-07', 2);
  assert.deepEqual([tooSoon.statusCode, tooSoon.json().code], [409, 'dose_not_allowed'], 'dose 1 was given today');
  assert.match(tooSoon.json().message, /Too soon/);
  // Given dose 1 as a walk-in while a dose-1 appointment was booked for another day: that appointment ends, its place returns.
  const [farther] = await sessionAt(ids.clinic, ids.region, `now() + interval '56 days'`, 1, 5);
  const planned = await as('agent', 'POST', '/api/v1/staff/bookings', {
    slots: [{ dose: 1, slotId: slotsLater[2] }, { dose: 2, slotId: farther }], reason: 'caller booking both doses',
    persons: [{ identifier: card(7), dateOfBirth: '1973-03-03', givenName: 'Paul', familyName: 'Planned', email: 'paul@example.org' }],
  });
  assert.equal(planned.statusCode, 201, planned.body);
  const came = await walkIn(7, '1973-03-03', 1);
  assert.equal(came.statusCode, 201, came.body);
  const left = await pool.query<{ dose_number: number; status: string }>(
    `SELECT a.dose_number, a.status FROM appointments a JOIN bookings b ON b.id = a.booking_id WHERE b.confirmation_code = $1 ORDER BY a.dose_number`, [planned.json().confirmationCode]);
  assert.deepEqual(left.rows.map((r) => [r.dose_number, r.status]), [[1, 'cancelled'], [2, 'booked']]);
  const drift = await pool.query(`SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('booked', 'checked_in'))`);
  assert.equal(drift.rows[0].n, 0);
  const told = await pool.query(`SELECT count(*)::int AS n FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.confirmation_code = $1 AND o.kind = 'cancellation'`, [planned.json().confirmationCode]);
  assert.ok(told.rows[0].n > 0, 'the person is told the appointment is no longer needed');
});

test('a walk-in registered without a contact: booking their next dose asks for one, and keeps it', async () => {
  const walkIn = await as('vaccinator', 'POST', `/api/v1/staff/clinics/${ids.clinic}/walk-ins`, {
    identifier: card(9), dateOfBirth: '1975-05-05', givenName: 'Nora', familyName: 'Nocontact', doseNumber: 1, administration: { ...lot, product: 'test-mrna' } });
  assert.equal(walkIn.statusCode, 201, walkIn.body);
  const url = `/api/v1/staff/clinics/${ids.clinic}/persons/${walkIn.json().personId}/next-dose`;
  const without = await as('reception', 'POST', url, {});
  assert.deepEqual([without.statusCode, without.json().field], [400, 'email']);
  assert.match(without.json().message, /no e-mail, mobile number or address on record/);
  const withMobile = await as('reception', 'POST', url, { mobile: '+1 613 555 0199' });
  assert.equal(withMobile.statusCode, 201, withMobile.body);
  const kept = await pool.query<{ mobile: string }>('SELECT mobile FROM persons WHERE id = $1', [walkIn.json().personId]);
  assert.equal(kept.rows[0]!.mobile, '+1 613 555 0199');
});

test('who calls is checked before what was sent: no session is 401 and no CSRF token 403, never a 400; a blank reason is refused', async () => {
  const anonymous = await app.inject({ method: 'POST', url: '/api/v1/staff/bookings', payload: { persons: [] } });
  assert.deepEqual([anonymous.statusCode, anonymous.json().code], [401, 'not_signed_in']);
  const noCsrf = await app.inject({ method: 'POST', url: `/api/v1/staff/clinics/${ids.clinic}/check-in`, headers: { cookie: sessions.get('reception')!.cookie }, payload: { nonsense: true } });
  assert.deepEqual([noCsrf.statusCode, noCsrf.json().code], [403, 'csrf_token_invalid']);
  const blank = await as('agent', 'GET', `/api/v1/staff/persons/1?reason=${encodeURIComponent('   ')}`);
  assert.deepEqual([blank.statusCode, blank.json().field], [400, 'reason']);
});

test('an Idempotency-Key compares the reason given too: the same key with another reason is another request (422)', async () => {
  const agent = sessions.get('agent')!;
  const send = (reason: string) => app.inject({ method: 'POST', url: '/api/v1/staff/bookings',
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'idempotency-key': 'key-0000-agent-reason' }, payload: {
      slots: [{ dose: 1, slotId: slotsToday[3] }, { dose: 2, slotId: slotsLater[5] }], reason,
      persons: [{ identifier: card(10), dateOfBirth: '1976-06-06', givenName: 'Rhea', familyName: 'Reason', email: 'rhea@example.org' }] } });
  assert.equal((await send('caller booking both doses')).statusCode, 201);
  assert.equal((await send('caller booking both doses')).headers['idempotent-replayed'], 'true');
  const other = await send('another caller, same key');
  assert.deepEqual([other.statusCode, other.json().code], [422, 'idempotency_key_reused']);
});

test('check-in by code with a date of birth: the wrong one finds nobody', async () => {
  const booked = await as('agent', 'POST', '/api/v1/staff/bookings', {
    slots: [{ dose: 1, slotId: slotsToday[2] }, { dose: 2, slotId: slotsLater[4] }], reason: 'caller booking both doses',
    persons: [{ identifier: card(8), dateOfBirth: '1974-04-04', givenName: 'Cody', familyName: 'Code', email: 'cody@example.org' }],
  });
  const code = booked.json().confirmationCode;
  const wrong = await as('reception', 'POST', `/api/v1/staff/clinics/${ids.clinic}/check-in`, { confirmationCode: code, dateOfBirth: '1974-04-05' });
  assert.equal(wrong.statusCode, 404);
  const right = await as('reception', 'POST', `/api/v1/staff/clinics/${ids.clinic}/check-in`, { confirmationCode: code, dateOfBirth: '1974-04-04' });
  assert.equal(right.statusCode, 200, right.body);
});

test('unpublishing a day takes it off the public at once and keeps its appointments; publishing brings it back', async () => {
  const search = async () => (await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { latitude: 43.7, longitude: -79.4, radiusKm: 5, dateOfBirth: '1970-01-01', limit: 5 } })).json();
  const before = (await search()).items.length;
  assert.ok(before > 0, 'today is public');
  const off = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/unpublish`, { from: today });
  assert.equal(off.statusCode, 200, off.body);
  assert.deepEqual(off.json().changed, [today]);
  const days = (await search()).items.flatMap((c: { days: Array<{ day: string }> }) => c.days.map((d) => d.day));
  assert.ok(!days.includes(today), 'no longer offered');
  const kept = await as('vaccinator', 'GET', `/api/v1/staff/clinics/${ids.clinic}/roster`);
  assert.ok(kept.json().items.length >= 1, 'appointments already made stay');
  const taken = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: slotsToday[3] }, { dose: 2, slotId: slotsLater[3] }],
    persons: [{ identifier: card(3), dateOfBirth: '1975-03-03', givenName: 'Late', familyName: 'Comer', email: 'late@example.org' }] } });
  assert.equal(taken.statusCode, 409, 'an unpublished day cannot be booked');
  assert.deepEqual((await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/publish`, { from: today })).json().changed, [today]);
});

test('a manager plans a week, copies it, publishes it; a day cancelled moves everyone on it to the nearest equivalent time, keeping the dose interval', async () => {
  const day0 = new Date(Date.parse(`${today}T12:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  const plus = (n: number) => new Date(Date.parse(`${day0}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  for (const n of [0, 1, 2]) {
    const made = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions`, { day: plus(n), start: '08:00', end: '12:00', product: 'test-mrna', stations: 2, minutesPerAppointment: 10 });
    assert.equal(made.statusCode, 201, made.body);
    assert.deepEqual([made.json().slots, made.json().capacity], [24, 48]);
  }
  const bad = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions`, { day: plus(0), start: '13:00', end: '11:00', product: 'test-mrna', stations: 1, minutesPerAppointment: 10 });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'end'], 'an end before the start names the field');
  const past = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions`, { day: '2020-12-20', start: '08:00', end: '12:00', product: 'test-mrna', stations: 1, minutesPerAppointment: 10 });
  assert.deepEqual([past.statusCode, past.json().field], [400, 'day'], 'a day gone by is refused by name');
  const pastWeek = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions/copy-week`, { fromWeek: '2020-12-14', toWeek: '2020-12-21' });
  assert.deepEqual([pastWeek.statusCode, pastWeek.json().field], [400, 'toWeek'], 'nor is a week gone by copied into');
  const copied = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions/copy-week`, { fromWeek: day0, toWeek: plus(7) });
  assert.deepEqual([copied.statusCode, copied.json().sessions], [201, 3], copied.body);
  const again = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions/copy-week`, { fromWeek: day0, toWeek: plus(7) });
  assert.deepEqual([again.statusCode, again.json().field], [400, 'toWeek'], 'copying twice does not double the capacity');
  const search = async (from: string) => (await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { latitude: 43.7, longitude: -79.4, radiusKm: 5, dateOfBirth: '1970-01-01', dose: 2, previousDoseDate: today, previousProduct: 'test-mrna', from, to: plus(13), limit: 5 } })).json();
  const offered = () => search(day0).then((a) => a.items.flatMap((c: { days: Array<{ day: string }> }) => c.days.map((d) => d.day)));
  assert.deepEqual(await offered(), [], 'planned but not yet public');
  const published = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/publish`, { from: day0, to: plus(13) });
  assert.deepEqual(published.json().changed, [0, 1, 2, 7, 8, 9].map(plus));
  assert.deepEqual(await offered(), [0, 1, 2, 7, 8, 9].map(plus));

  // Someone given dose 1 today, with dose 2 booked on day0.
  const walkIn = await as('vaccinator', 'POST', `/api/v1/staff/clinics/${ids.clinic}/walk-ins`, {
    identifier: card(20), dateOfBirth: '1966-06-06', givenName: 'Ida', familyName: 'Moved', email: 'ida@example.org', doseNumber: 1, administration: { ...lot, product: 'test-mrna' } });
  const personId = walkIn.json().personId;
  const firstSlot = (await pool.query<{ id: string }>(`SELECT s.id::text FROM slots s JOIN clinic_days cd ON cd.id = s.clinic_day_id WHERE cd.clinic_id = $1 AND cd.day = $2 ORDER BY s.starts_at LIMIT 1`, [ids.clinic, day0])).rows[0]!.id;
  const dose2 = await as('reception', 'POST', `/api/v1/staff/clinics/${ids.clinic}/persons/${personId}/next-dose`, { slotId: Number(firstSlot) });
  assert.equal(dose2.statusCode, 201, dose2.body);

  const supply = await as('clinic_manager', 'PUT', `/api/v1/staff/clinics/${ids.clinic}/supply`, { product: 'test-mrna', doses: 1 });
  assert.equal(supply.statusCode, 200, supply.body);
  assert.equal(supply.json().items.find((x: { product: string }) => x.product === 'test-mrna').short, true, 'more appointments to come than doses expected');

  const cancel = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/cancel`, { from: day0, reason: 'Storm: the site is closed', rebook: 'auto' });
  assert.equal(cancel.statusCode, 200, cancel.body);
  assert.deepEqual(cancel.json().days, [day0]);
  const moved = cancel.json().affected.find((x: { confirmationCode: string }) => x.confirmationCode === dose2.json().confirmationCode);
  assert.equal(moved.outcome, 'moved');
  assert.equal(moved.replacement.day, plus(1), 'the nearest day, at the same clinic');
  assert.equal(cancel.json().cancelledAppointments, 0, 'nobody left without an appointment');
  const told = await pool.query<{ kind: string; payload: { reason?: string } }>(
    `SELECT o.kind, o.payload FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.confirmation_code = $1 ORDER BY o.id DESC LIMIT 1`, [dose2.json().confirmationCode]);
  assert.deepEqual(told.rows[0], { kind: 'reschedule', payload: { ...told.rows[0]!.payload, reason: 'Storm: the site is closed' } }, 'the person is told why, through the outbox');
  assert.ok(!(await offered()).includes(day0), 'the cancelled day is off the public');
  const after = (await as('clinic_manager', 'GET', `/api/v1/staff/clinics/${ids.clinic}/roster?day=${plus(1)}`)).json().items;
  assert.ok(after.some((x: { familyName: string; dose: number }) => x.familyName === 'Moved' && x.dose === 2));
  const drift = await pool.query(`SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('booked', 'checked_in'))`);
  assert.equal(drift.rows[0].n, 0);
});

/** One request per staff operation, aimed at a resource inside (in=true) or outside the scopes given above. */
function request(op: Operation, inside: boolean): { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown } | null {
  const clinic = inside ? ids.clinic : ids.outClinic;
  switch (op) {
    case 'person.find': return { method: 'POST', url: '/api/v1/staff/persons/search', payload: { identifier: card(1), dateOfBirth: '1970-05-05', reason: 'matrix test' } };
    case 'person.read': return { method: 'GET', url: '/api/v1/staff/persons/1?reason=matrix%20test' };
    case 'person.note': return { method: 'POST', url: '/api/v1/staff/persons/1/notes', payload: { note: 'matrix test' } };
    case 'booking.create': return { method: 'POST', url: '/api/v1/staff/bookings', payload: { slots: [{ dose: 1, slotId: 999999 }], persons: [{ identifier: card(9), dateOfBirth: '1990-01-01', givenName: 'M', familyName: 'T', email: 'm@example.org' }] } };
    case 'booking.change': return { method: 'POST', url: '/api/v1/staff/bookings/ZZZZ-ZZZZ-ZZ/cancel', payload: { reason: 'matrix test' } };
    case 'roster.read': return { method: 'GET', url: `/api/v1/staff/clinics/${clinic}/roster` };
    case 'appointment.checkIn': return { method: 'POST', url: `/api/v1/staff/clinics/${clinic}/check-in`, payload: { givenName: 'No', familyName: 'One', dateOfBirth: '1990-01-01' } };
    case 'appointment.noShow': return { method: 'POST', url: `/api/v1/staff/clinics/${clinic}/no-shows`, payload: { day: '2000-01-01' } };
    case 'walkIn.register': return { method: 'POST', url: `/api/v1/staff/clinics/${clinic}/walk-ins`, payload: { identifier: '1', dateOfBirth: '1990-01-01', givenName: 'W', familyName: 'I', doseNumber: 1, administration: { ...lot, product: 'test-mrna' } } };
    case 'nextDose.book': return { method: 'GET', url: `/api/v1/staff/clinics/${clinic}/persons/1/next-dose` };
    case 'day.summary': return { method: 'GET', url: `/api/v1/staff/clinics/${clinic}/summary` };
    case 'clinicDay.publish': return { method: 'POST', url: `/api/v1/staff/clinics/${clinic}/days/publish`, payload: { from: '2000-01-01' } };
    case 'clinicDay.cancel': return { method: 'POST', url: `/api/v1/staff/clinics/${clinic}/days/cancel`, payload: { from: '2000-01-01', reason: 'matrix test' } };
    case 'session.manage': return { method: 'GET', url: `/api/v1/staff/clinics/${clinic}/sessions?from=2000-01-01` };
    case 'supply.manage': return { method: 'GET', url: `/api/v1/staff/clinics/${clinic}/supply` };
    case 'clinic.create': return { method: 'POST', url: '/api/v1/staff/clinics', payload: { regionCode: inside ? 'TST' : 'OUT', code: `M-${Math.random().toString(36).slice(2, 10)}`,
      name: 'Matrix Clinic', kind: 'pharmacy', street: '1 Test Way', city: 'Toronto', postalCode: 'M5V 1A1', latitude: 43.7, longitude: -79.4 } };
    case 'clinic.update': return { method: 'PATCH', url: `/api/v1/staff/clinics/${clinic}`, payload: { phone: '+1 416 555 0100' } };
    case 'region.manage': return { method: 'PATCH', url: '/api/v1/staff/regions/TST', payload: { nameFr: 'Unité de test' } };
    case 'staff.manage': return { method: 'GET', url: '/api/v1/staff/accounts' };
    case 'audit.read': return { method: 'GET', url: '/api/v1/staff/audit?limit=1' };
    case 'rollout.manage': return { method: 'GET', url: '/api/v1/admin/rollout/versions' };
    case 'reconcile.run': return { method: 'GET', url: '/api/v1/admin/reconcile' };
    case 'messages.manage': return { method: 'GET', url: `/api/v1/staff/messages/summary?region=${inside ? 'TST' : 'OUT'}` };
    default: return null; // roll-out invitations: covered by the eligibility API tests
  }
}

test('the authorization matrix: every role × every staff operation × inside and outside its scope — refused with 403 exactly where the policy says, and every attempt audited', async () => {
  const { may } = await import('../../src/domain/staff-policy.js');
  const checked: string[] = [];
  for (const role of ROLES) {
    const s = sessions.get(role)!;
    const actor = { role, regionIds: role === 'region_manager' ? [ids.region] : [], clinicIds: ['clinic_manager', 'vaccinator', 'reception'].includes(role) ? [ids.clinic] : [] };
    for (const op of OPERATIONS) {
      for (const inside of [true, false]) {
        const req = request(op, inside);
        if (!req) continue;
        const place = { clinicId: inside ? ids.clinic : ids.outClinic, regionId: inside ? ids.region : ids.outRegion };
        const expected = may(actor, op, place);
        const before = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE staff_id = $1 AND action = $2`, [s.staffId, op])).rows[0]!.n;
        const r = await as(role, req.method, req.url, req.payload);
        if (expected) assert.ok(r.statusCode !== 403 && r.statusCode !== 401, `${role} ${op} ${inside ? 'in' : 'out of'} scope: allowed, got ${r.statusCode} ${r.body}`);
        else assert.equal(r.statusCode, 403, `${role} ${op} ${inside ? 'in' : 'out of'} scope: refused, got ${r.statusCode} ${r.body}`);
        const audited = await pool.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE staff_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1`, [s.staffId, op]);
        const after = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE staff_id = $1 AND action = $2`, [s.staffId, op])).rows[0]!.n;
        assert.equal(after, before + 1, `${role} ${op}: one audit row per attempt`);
        assert.equal(audited.rows[0]!.outcome, expected ? 'allowed' : 'denied');
        checked.push(`${role}:${op}:${inside}`);
      }
    }
  }
  assert.ok(checked.length >= ROLES.length * 23 * 2, `${checked.length} cases`);
  // The examples of the issue, named.
  assert.equal((await as('vaccinator', 'GET', `/api/v1/staff/clinics/${ids.outClinic}/roster`)).statusCode, 403, 'a nurse cannot read another clinic’s roster');
  assert.equal((await as('agent', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/publish`, { from: today })).statusCode, 403, 'an agent cannot change clinic capacity');
  const anonymous = await app.inject({ method: 'GET', url: `/api/v1/staff/clinics/${ids.clinic}/roster` });
  assert.equal(anonymous.statusCode, 401);
  const noCsrf = await app.inject({ method: 'POST', url: `/api/v1/staff/clinics/${ids.clinic}/no-shows`, headers: { cookie: sessions.get('administrator')!.cookie }, payload: {} });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.json().code, 'csrf_token_invalid');
});

test('an agent and the portal race for the last place in a slot over real connections: one wins, the other is told and offered alternatives', async () => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const day = new Date(Date.parse(`${today}T12:00:00Z`) + 50 * 86_400_000).toISOString().slice(0, 10);
  const made = await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/sessions`, { day, start: '09:00', end: '10:00', product: 'test-mrna', stations: 1, minutesPerAppointment: 10 });
  assert.equal(made.statusCode, 201, made.body);
  await as('clinic_manager', 'POST', `/api/v1/staff/clinics/${ids.clinic}/days/publish`, { from: day });
  const slots = (await pool.query<{ id: string }>(`SELECT id::text FROM slots WHERE session_id = $1 ORDER BY starts_at`, [made.json().sessionId])).rows.map((x) => Number(x.id));
  const agent = sessions.get('agent')!;
  for (const [round, slotId] of slots.slice(0, 5).entries()) {
    const person = (n: number) => ({ identifier: card(100 + round * 2 + n), dateOfBirth: '1960-01-01', givenName: `R${round}`, familyName: `P${n}`, email: `r${round}p${n}@example.org`,
      // The day before the clinic's today: its zone can be a day ahead of the jurisdiction's, where a dose given "today" would be in the future.
      previousDoses: [{ date: new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10), product: 'test-mrna' }] });
    const body = (n: number) => JSON.stringify({ slots: [{ dose: 2, slotId }], persons: [person(n)] });
    const [portal, phone] = await Promise.all([
      fetch(`${base}/api/v1/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(0) }),
      fetch(`${base}/api/v1/staff/bookings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: agent.cookie, 'x-csrf-token': agent.csrf }, body: body(1) }),
    ]);
    const statuses = [portal.status, phone.status].sort();
    assert.deepEqual(statuses, [201, 409], `round ${round}: ${await portal.clone().text()} / ${await phone.clone().text()}`);
    const loser = await (portal.status === 409 ? portal : phone).json();
    assert.equal(loser.code, 'slot_full');
    assert.ok(loser.detail.alternatives.length > 0, 'the loser is offered the nearest free times');
  }
  const taken = await pool.query<{ booked: number; capacity: number }>(`SELECT booked, capacity FROM slots WHERE id = ANY($1::bigint[])`, [slots.slice(0, 5)]);
  assert.ok(taken.rows.every((x) => x.booked === 1 && x.capacity === 1));
});

test('regions: an administrator creates and corrects one; bad input names the field', async () => {
  const made = await as('administrator', 'POST', '/api/v1/staff/regions', { code: 'NEW-1', name: 'New Unit', latitude: 46.1, longitude: -79.5 });
  assert.equal(made.statusCode, 201, made.body);
  const again = await as('administrator', 'POST', '/api/v1/staff/regions', { code: 'NEW-1', name: 'Twice', latitude: 46.1, longitude: -79.5 });
  assert.deepEqual([again.statusCode, again.json().field], [400, 'code']);
  const badCode = await as('administrator', 'POST', '/api/v1/staff/regions', { code: 'new one', name: 'x', latitude: 46.1, longitude: -79.5 });
  assert.deepEqual([badCode.statusCode, badCode.json().field], [400, 'code']);
  const renamed = await as('administrator', 'PATCH', '/api/v1/staff/regions/NEW-1', { nameFr: 'Nouvelle unité' });
  assert.equal(renamed.json().nameFr, 'Nouvelle unité');
  const listed = await app.inject({ method: 'GET', url: '/api/v1/regions' });
  assert.ok(listed.json().items.some((r: { code: string }) => r.code === 'NEW-1'), 'the public list has it at once');
});

test('a clinic\'s accessibility is one of the features search knows, refused by its own name otherwise', async () => {
  const wrong = await as('administrator', 'PATCH', `/api/v1/staff/clinics/${ids.clinic}`, { accessibility: ['jetpack'] });
  assert.equal(wrong.statusCode, 400, wrong.body);
  assert.match(wrong.json().field, /^accessibility/);
  const right = await as('administrator', 'PATCH', `/api/v1/staff/clinics/${ids.clinic}`, { accessibility: ['wheelchair', 'quiet_room'] });
  assert.equal(right.statusCode, 200, right.body);
  assert.deepEqual(right.json().accessibility, ['wheelchair', 'quiet_room']);
});
