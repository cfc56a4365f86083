import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { counterDrift } from '../../src/db/repositories/booking-repository.js';
import { freshDatabase } from '../helpers/db.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';

let app: FastifyInstance;
let pool: pg.Pool;
let ref: Awaited<ReturnType<typeof baseReferenceData>>;

before(async () => {
  ({ pool } = await freshDatabase({ poolSize: 20 }));
  ref = await baseReferenceData(pool);
  app = await buildApp({ pool, logLevel: process.env.DBG ? 'error' : 'silent' });
});
after(() => app.close());

const person = (n: number, dob = '1960-04-02') => ({ identifier: `9876543${String(n).padStart(3, '0')}`, dateOfBirth: dob, givenName: 'Ada', familyName: 'Tester', email: `ada${n}@example.org` });

test('a two-dose series is booked in one request, found by code + date of birth, and cancelled dose by dose', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 2, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 2 + 56, capacity: 5, slotCount: 1 });
  const hold = await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], dateOfBirth: '1960-04-02' } });
  assert.equal(hold.statusCode, 201, hold.body);
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { holdId: hold.json().holdId, persons: [person(1)] } });
  assert.equal(booked.statusCode, 201, booked.body);
  const { confirmationCode, appointments } = booked.json();
  assert.match(confirmationCode, /^[2-9A-Y]{4}-[2-9A-Y]{4}-[2-9A-Y]{2}$/);
  assert.deepEqual(appointments.map((a: { dose: number }) => a.dose), [1, 2]);

  const wrongDob = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode, dateOfBirth: '1960-04-03' } });
  assert.equal(wrongDob.statusCode, 404);
  const found = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: confirmationCode.toLowerCase().replaceAll('-', ''), dateOfBirth: '1960-04-02' } });
  assert.equal(found.statusCode, 200);
  const cancel2 = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode, dateOfBirth: '1960-04-02', doses: [2] } });
  assert.deepEqual(cancel2.json(), { cancelled: 1 });
  const after2 = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode, dateOfBirth: '1960-04-02' } });
  assert.deepEqual(after2.json().appointments.map((a: { status: string }) => a.status), ['booked', 'cancelled']);
  assert.deepEqual(await counterDrift(pool), []);
});

test('dose 2 outside its interval is refused before anything is taken', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 3, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 3 + 10, capacity: 5, slotCount: 1 });
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'accept-language': 'fr' }, payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(2)] } });
  assert.equal(r.statusCode, 422);
  assert.equal(r.json().code, 'series_invalid');
  assert.match(r.json().message, /intervalle/);
});

test('the same booking sent 3 times at once with one Idempotency-Key has one effect and one answer', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 4, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 4 + 56, capacity: 5, slotCount: 1 });
  const payload = { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(3)] };
  const headers = { 'idempotency-key': 'key-0000-same-request' };
  const rs = await Promise.all([1, 2, 3].map(() => app.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload })));
  assert.deepEqual(rs.map((r) => r.statusCode), [201, 201, 201]);
  assert.equal(new Set(rs.map((r) => r.json().confirmationCode)).size, 1);
  const n = await pool.query(`SELECT count(*)::int n FROM appointments WHERE slot_id = ANY($1::bigint[]) AND status = 'booked'`, [[d1, d2]]);
  assert.equal(n.rows[0].n, 2);
  const other = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: { ...payload, persons: [person(4)] } });
  assert.equal(other.statusCode, 422);
  assert.equal(other.json().code, 'idempotency_key_reused');
});

test('bad input names the field; a full slot is a 409 with a stable code', async () => {
  const noContact = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: 1 }], persons: [{ ...person(5), email: undefined }] } });
  assert.equal(noContact.statusCode, 400);
  assert.equal(noContact.json().field, 'persons.0.email');
  const badDob = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: 1 }], persons: [{ ...person(5), dateOfBirth: '1960-13-40' }] } });
  assert.equal(badDob.statusCode, 400);
  assert.equal(badDob.json().field, 'persons.0.dateOfBirth');
  const [s] = await session(pool, ref, { daysAhead: 5, capacity: 1, slotCount: 1 });
  const first = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: s }], persons: [person(6)] } });
  assert.equal(first.statusCode, 201, first.body);
  const second = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: s }], persons: [person(7)] } });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'slot_full');
});
