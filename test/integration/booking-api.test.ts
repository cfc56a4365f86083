import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { cancel as cancelInDatabase, counterDrift, reschedule as rescheduleInDatabase } from '../../src/db/repositories/booking-repository.js';
import { purgeExpiredRateLimits } from '../../src/db/repositories/rate-limit-repository.js';
import { freshDatabase } from '../helpers/db.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';
import { forgetCachedReferenceData } from '../../src/services/reference-cache.js';
import { localDate } from '../../src/domain/calendar.js';

let app: FastifyInstance;
let pool: pg.Pool;
let ref: Awaited<ReturnType<typeof baseReferenceData>>;
const ADMIN = 'booking-api-admin-token-0123456789';

before(async () => {
  ({ pool } = await freshDatabase({ poolSize: 20 }));
  ref = await baseReferenceData(pool);
  app = await buildApp({ pool, logLevel: process.env.DBG ? 'error' : 'silent', adminToken: ADMIN });
});
after(() => app.close());

const person = (n: number, dob = '1960-04-02') => ({ identifier: withCheckDigits('ontario-health-card', `987654${String(n).padStart(3, '0')}`), dateOfBirth: dob, givenName: 'Ada', familyName: 'Tester', email: `ada${n}@example.org` });

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
  assert.equal(rs.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 2, 'the two repeats say they are replays');
  const n = await pool.query(`SELECT count(*)::int n FROM appointments WHERE slot_id = ANY($1::bigint[]) AND status = 'booked'`, [[d1, d2]]);
  assert.equal(n.rows[0].n, 2);
  // The same request serialised with its keys in another order is the same request.
  const reordered = JSON.stringify({ persons: [Object.fromEntries(Object.entries(person(3)).reverse())], slots: payload.slots.map((x) => ({ slotId: x.slotId, dose: x.dose })) });
  const shuffled = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { ...headers, 'content-type': 'application/json' }, payload: reordered });
  assert.deepEqual([shuffled.statusCode, shuffled.headers['idempotent-replayed'], shuffled.json().confirmationCode], [201, 'true', rs[0]!.json().confirmationCode]);
  const other = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: { ...payload, persons: [person(4)] } });
  assert.equal(other.statusCode, 422);
  assert.equal(other.json().code, 'idempotency_key_reused');
  const later = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'idempotency-key': 'key-0000-cancel-once' }, payload: { confirmationCode: rs[0]!.json().confirmationCode, dateOfBirth: '1960-04-02', doses: [2] } });
  const again = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'idempotency-key': 'key-0000-cancel-once' }, payload: { confirmationCode: rs[0]!.json().confirmationCode, dateOfBirth: '1960-04-02', doses: [2] } });
  assert.deepEqual([later.headers['idempotent-replayed'], again.headers['idempotent-replayed']], [undefined, 'true']);
  const againReordered = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'idempotency-key': 'key-0000-cancel-once' }, payload: { doses: [2], dateOfBirth: '1960-04-02', confirmationCode: rs[0]!.json().confirmationCode } });
  assert.equal(againReordered.headers['idempotent-replayed'], 'true');
  assert.deepEqual(again.json(), later.json());
});

test('bad input names the field; a full slot is a 409 with a stable code', async () => {
  const noContact = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: 1 }], persons: [{ ...person(5), email: undefined }] } });
  assert.equal(noContact.statusCode, 400);
  assert.equal(noContact.json().field, 'persons.0.email');
  const badDob = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: 1 }], persons: [{ ...person(5), dateOfBirth: '1960-13-40' }] } });
  assert.equal(badDob.statusCode, 400);
  assert.equal(badDob.json().field, 'persons.0.dateOfBirth');
  const [s] = await session(pool, ref, { daysAhead: 5, capacity: 1, slotCount: 1 });
  const [s2] = await session(pool, ref, { daysAhead: 5 + 56, capacity: 5, slotCount: 1 });
  const alone = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: s }], persons: [person(6)] } });
  assert.equal(alone.statusCode, 422);
  assert.equal(alone.json().code, 'pairing_required');
  const series = { slots: [{ dose: 1, slotId: s }, { dose: 2, slotId: s2 }] };
  const first = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { ...series, persons: [person(6)] } });
  assert.equal(first.statusCode, 201, first.body);
  const second = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { ...series, persons: [person(7)] } });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'slot_full');
  assert.equal(second.json().detail.slotId, s);
  assert.ok(Array.isArray(second.json().detail.alternatives));
});

const bookingsState = async (slotId: number) => (await pool.query<{ held: number }>('SELECT held FROM slots WHERE id = $1', [slotId])).rows.map((r) => r.held);

async function bookSeries(n: number, d1: number, d2: number) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(n)] } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().confirmationCode as string;
}

test('rescheduling moves a dose atomically; a full target leaves the old appointment and offers alternatives', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 6, capacity: 5, slotCount: 1 });
  const d2 = await session(pool, ref, { daysAhead: 6 + 56, capacity: 1, slotCount: 3 });
  const code = await bookSeries(20, d1!, d2[0]!);
  await bookSeries(21, d1!, d2[1]!); // d2[1] is now full
  const moved = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 2, slotId: d2[2] } });
  assert.equal(moved.statusCode, 200, moved.body);
  assert.deepEqual(moved.json().appointments.filter((a: { status: string }) => a.status === 'booked').map((a: { slotId: number }) => a.slotId), [d1, d2[2]]);
  const full = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 2, slotId: d2[1] } });
  assert.equal(full.statusCode, 409);
  assert.equal(full.json().code, 'slot_full');
  assert.ok(Array.isArray(full.json().detail.alternatives));
  const still = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '1960-04-02' } });
  assert.deepEqual(still.json().appointments.filter((a: { status: string }) => a.status === 'booked').map((a: { slotId: number }) => a.slotId), [d1, d2[2]]);
  assert.deepEqual(await counterDrift(pool), []);
});

test('with an Idempotency-Key, as the portal sends one, a full slot is still a 409 with alternatives (hold and reschedule), and its repeat gets the same answer', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 7, capacity: 5, slotCount: 1 });
  const d2 = await session(pool, ref, { daysAhead: 7 + 56, capacity: 1, slotCount: 3 });
  const code = await bookSeries(24, d1!, d2[0]!);
  await bookSeries(25, d1!, d2[1]!); // d2[1] is now full
  const hold = (key: string) => app.inject({ method: 'POST', url: '/api/v1/holds', headers: { 'idempotency-key': key }, payload: { slots: [{ dose: 2, slotId: d2[1] }] } });
  const heldFull = await hold('hold-key-full-0001');
  assert.equal(heldFull.statusCode, 409, heldFull.body);
  assert.equal(heldFull.json().code, 'slot_full');
  assert.ok(Array.isArray(heldFull.json().detail.alternatives));
  const heldAgain = await hold('hold-key-full-0001');
  assert.equal(heldAgain.statusCode, 409);
  assert.equal(heldAgain.json().code, 'slot_full');

  const move = (key: string) => app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', headers: { 'idempotency-key': key },
    payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 2, slotId: d2[1] } });
  const full = await move('move-key-full-0001');
  assert.equal(full.statusCode, 409, full.body);
  assert.equal(full.json().code, 'slot_full');
  assert.ok(Array.isArray(full.json().detail.alternatives));
  assert.equal((await move('move-key-full-0001')).json().code, 'slot_full');
  const still = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '1960-04-02' } });
  assert.deepEqual(still.json().appointments.filter((a: { status: string }) => a.status === 'booked').map((a: { slotId: number }) => a.slotId), [d1, d2[0]]);
  assert.deepEqual(await counterDrift(pool), []);
});

test('moving dose 1 so that dose 2 falls outside its interval is refused', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 7, capacity: 5, slotCount: 1 });
  const [late] = await session(pool, ref, { daysAhead: 7 + 50, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 7 + 60, capacity: 5, slotCount: 1 });
  const code = await bookSeries(22, d1!, d2!);
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 1, slotId: late } });
  assert.equal(r.statusCode, 422);
  assert.equal(r.json().code, 'series_invalid');
});

test('concurrent reschedules and bookings never leave a person without their appointment', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 8, capacity: 50, slotCount: 1 });
  const targets = await session(pool, ref, { daysAhead: 8 + 56, capacity: 1, slotCount: 10 });
  const [home] = await session(pool, ref, { daysAhead: 8 + 57, capacity: 5, slotCount: 1 });
  const code = await bookSeries(30, d1!, home!);
  const racers = targets.map((slot, i) => app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: slot }], persons: [person(40 + i)] } }));
  const moves = targets.map((slot) => app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 2, slotId: slot } }));
  const results = await Promise.all([...racers, ...moves]);
  for (const r of results) assert.ok([200, 201, 409].includes(r.statusCode), `${r.statusCode} ${r.body}`);
  const mine = await pool.query(
    `SELECT count(*)::int n FROM appointments a JOIN bookings b ON b.id = a.booking_id WHERE b.confirmation_code = $1 AND a.dose_number = 2 AND a.status = 'booked'`, [code]);
  assert.equal(mine.rows[0].n, 1, 'exactly one active dose-2 appointment');
  assert.equal((await pool.query('SELECT 1 FROM slots WHERE booked + held > capacity')).rowCount, 0);
  assert.deepEqual(await counterDrift(pool), []);
});

test('look-ups are throttled per code and per client, once for all workers, with Retry-After', async () => {
  await pool.query('DELETE FROM rate_limits'); // this file's earlier look-ups came from the same address
  // Two workers of one service: the limits count their requests together.
  const workers = [
    await buildApp({ pool, logLevel: 'silent', lookupLimits: { perClient: 6, perCode: 3, windowSeconds: 60 } }),
    await buildApp({ pool, logLevel: 'silent', lookupLimits: { perClient: 6, perCode: 3, windowSeconds: 60 } }),
  ];
  let turn = 0;
  const look = (code: string) => workers[turn++ % 2]!.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '1960-04-02' } });
  for (let i = 0; i < 3; i++) assert.equal((await look('AAAA-BBBB-CC')).statusCode, 404);
  const blocked = await look('AAAA-BBBB-CC');
  assert.equal(blocked.statusCode, 429);
  assert.equal(blocked.json().code, 'too_many_attempts');
  assert.ok(Number(blocked.headers['retry-after']) > 0);
  assert.equal((await look('DDDD-EEEE-FF')).statusCode, 404, 'another code still answers');
  assert.equal((await look('GGGG-HHHH-JJ')).statusCode, 404);
  assert.equal((await look('KKKK-MMMM-NN')).statusCode, 429, 'the client limit applies across codes');
  for (const w of workers) await w.close();
});

test('only wrong guesses use up the look-up limits: the holder looks up and changes their booking as often as needed', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 15, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 15 + 56, capacity: 5, slotCount: 1 });
  const code = await bookSeries(130, d1!, d2!);
  await pool.query('DELETE FROM rate_limits');
  const limited = await buildApp({ pool, logLevel: 'silent', lookupLimits: { perClient: 4, perCode: 2, windowSeconds: 60 } });
  const look = (dateOfBirth: string) => limited.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth } });
  for (let i = 0; i < 6; i++) assert.equal((await look('1960-04-02')).statusCode, 200, `look-up ${i + 1}`);
  const cancel = await limited.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', doses: [2] } });
  assert.equal(cancel.statusCode, 200, cancel.body);
  // A request refused before it was counted (its body unreadable) gives nothing back either.
  const unread = await limited.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code } });
  assert.equal(unread.statusCode, 400);
  assert.equal((await look('1960-04-03')).statusCode, 404);
  assert.equal((await look('1960-04-04')).statusCode, 404);
  const locked = await look('1960-04-02');
  assert.equal(locked.statusCode, 429, 'two wrong dates of birth use up this code’s limit, even for the right one');
  assert.ok(Number(locked.headers['retry-after']) > 0);
  await limited.close();
});

test('each client address may hold so many places a window; behind a trusted proxy, the address it forwards', async () => {
  const slots = await session(pool, ref, { daysAhead: 26, capacity: 20, slotCount: 4 });
  const behindProxy = await buildApp({ pool, logLevel: 'silent', holdLimits: { placesPerClient: 5, windowSeconds: 60 }, trustProxy: '127.0.0.1' });
  const hold = (client: string, slotId: number, seats: number) => behindProxy.inject({ method: 'POST', url: '/api/v1/holds',
    headers: { 'x-forwarded-for': client, 'accept-language': 'fr' }, payload: { slots: [{ dose: 2, slotId }], seats } });
  const [one] = await session(pool, ref, { daysAhead: 27, capacity: 1, slotCount: 1 });
  assert.equal((await hold('198.51.100.20', one!, 1)).statusCode, 201);
  for (let i = 0; i < 6; i++) assert.equal((await hold('203.0.113.7', one!, 1)).statusCode, 409, 'a full slot: refused, and not counted');
  assert.equal((await hold('203.0.113.7', slots[0]!, 3)).statusCode, 201);
  assert.equal((await hold('203.0.113.7', slots[1]!, 2)).statusCode, 201);
  const refused = await hold('203.0.113.7', slots[2]!, 1);
  assert.deepEqual([refused.statusCode, refused.json().code], [429, 'too_many_holds']);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.match(refused.json().message, /retenues.*patientez/);
  assert.equal((await hold('198.51.100.9', slots[2]!, 4)).statusCode, 201, 'another client, forwarded by the same proxy, holds as usual');
  const [state] = await bookingsState(slots[2]!);
  assert.equal(state, 4, 'the refused hold took nothing');
  await behindProxy.close();
});

test('a guardian books a series for two children in one request, each with their own appointments', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 9, capacity: 3, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 9 + 56, capacity: 3, slotCount: 1 });
  const kids = [
    { identifier: withCheckDigits('ontario-health-card', '111111111'), dateOfBirth: '2008-05-01', givenName: 'Ana', familyName: 'Parent', email: 'parent@example.org' },
    { identifier: withCheckDigits('ontario-health-card', '222222222'), dateOfBirth: '2010-09-09', givenName: 'Ben', familyName: 'Parent' },
  ];
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: kids } });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(r.json().appointments.map((a: { personGivenName: string; dose: number }) => `${a.personGivenName}:${a.dose}`), ['Ana:1', 'Ana:2', 'Ben:1', 'Ben:2']);
  const byBen = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: r.json().confirmationCode, dateOfBirth: '2010-09-09' } });
  assert.equal(byBen.statusCode, 200, 'any of the people’s dates of birth opens the booking');
  // A third child does not fit: 3 places, 2 taken; a family of two no longer fits either.
  const twoMore = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(60), person(61)] } });
  assert.equal(twoMore.statusCode, 409);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a hold or booking whose doses the vaccine does not have, or with one slot for two doses, is refused with 422 and takes nothing', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 3, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 3 + 56, capacity: 5, slotCount: 1 });
  const hold = (slots: Array<{ dose: number; slotId: number }>, extra: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots, ...extra } });
  for (const [slots, problem] of [
    [[{ dose: 1, slotId: d1! }, { dose: 2, slotId: d1! }], 'slot_repeated'],
    [[{ dose: 1, slotId: d1! }, { dose: 1, slotId: d2! }], 'dose_order'],
    [[{ dose: 3, slotId: d1! }, { dose: 4, slotId: d2! }], 'no_such_dose'],
  ] as const) {
    for (const extra of [{}, { dateOfBirth: '1960-04-02' }]) {
      const r = await hold([...slots], extra);
      assert.equal(r.statusCode, 422, `${problem} ${JSON.stringify(extra)}: ${r.body}`);
      assert.equal(r.json().detail.problem, problem);
    }
  }
  const booking = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 3, slotId: d1 }, { dose: 4, slotId: d2 }], persons: [person(60)] } });
  assert.equal(booking.statusCode, 422, booking.body);
  const { rows } = await pool.query<{ held: number; booked: number }>('SELECT sum(held)::int AS held, sum(booked)::int AS booked FROM slots WHERE id = ANY($1)', [[d1, d2]]);
  assert.deepEqual(rows[0], { held: 0, booked: 0 });
  assert.deepEqual(await counterDrift(pool), []);
});

test('dose 1 cannot be cancelled alone while dose 2 stays booked; both together can', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 4, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 4 + 56, capacity: 5, slotCount: 1 });
  const code = await bookSeries(61, d1!, d2!);
  const cancel = (doses?: number[]) => app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'accept-language': 'fr' }, payload: { confirmationCode: code, dateOfBirth: '1960-04-02', ...(doses ? { doses } : {}) } });
  const alone = await cancel([1]);
  assert.equal(alone.statusCode, 409, alone.body);
  assert.equal(alone.json().code, 'later_dose_booked');
  assert.match(alone.json().message, /dose suivante/);
  assert.deepEqual((await cancel([1, 2])).json(), { cancelled: 2 });
  assert.deepEqual(await counterDrift(pool), []);
});

test('a cancel and a reschedule of one booking at the same moment: one waits for the other, and nothing stays booked', async () => {
  const d1 = await session(pool, ref, { daysAhead: 5, capacity: 20, slotCount: 2 });
  const [d2] = await session(pool, ref, { daysAhead: 5 + 56, capacity: 20, slotCount: 1 });
  for (let n = 0; n < 6; n++) {
    const code = await bookSeries(70 + n, d1[0]!, d2!);
    const [moved, cancelled] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 1, slotId: d1[1] } }),
      app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: '1960-04-02' } }),
    ]);
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.ok(moved.statusCode === 200 || moved.json().code === 'nothing_to_reschedule', moved.body);
    const left = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '1960-04-02' } });
    assert.deepEqual(left.json().appointments.filter((a: { status: string }) => a.status === 'booked'), [], `run ${n}: ${moved.statusCode} then cancel ${cancelled.body}`);
  }
  assert.deepEqual(await counterDrift(pool), []);
});

test('a code typed with Z for 2, dots or other dashes is the same booking, and the same guess for the look-up limit', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 7, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 7 + 56, capacity: 5, slotCount: 1 });
  const code = await bookSeries(62, d1!, d2!);
  const spellings = [code.replaceAll('2', 'Z'), code.replaceAll('-', '.'), code.replaceAll('-', '\u2013')];
  for (const typed of spellings) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: typed, dateOfBirth: '1960-04-02' } });
    assert.equal(r.statusCode, 200, typed);
  }
  await pool.query('DELETE FROM rate_limits');
  const limited = await buildApp({ pool, logLevel: 'silent', lookupLimits: { perClient: 100, perCode: 2, windowSeconds: 60 } });
  const look = (typed: string) => limited.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: typed, dateOfBirth: '1900-01-01' } });
  assert.equal((await look(code)).statusCode, 404);
  assert.equal((await look(code.toLowerCase())).statusCode, 404);
  const third = await look(code.includes('2') ? code.replaceAll('2', 'Z') : code.replaceAll('-', '.'));
  assert.equal(third.statusCode, 429, 'another spelling of the same code is not a fresh budget');
  assert.match(third.json().message, /seconds|minutes/);
  await limited.close();
});

test('a health card is one person: booking it again under another date of birth is refused, not a second person', async () => {
  const [d1, d1b] = await session(pool, ref, { daysAhead: 8, capacity: 5, slotCount: 2 });
  const [d2, d2b] = await session(pool, ref, { daysAhead: 8 + 56, capacity: 5, slotCount: 2 });
  await bookSeries(63, d1!, d2!);
  const again = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'accept-language': 'fr' },
    payload: { slots: [{ dose: 1, slotId: d1b }, { dose: 2, slotId: d2b }], persons: [{ ...person(63), dateOfBirth: '1960-04-03' }] } });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json().code, 'identity_mismatch');
  assert.match(again.json().message, /autre date de naissance/);
  const { rows } = await pool.query('SELECT date_of_birth::text FROM persons WHERE identifier = $1', [person(63).identifier]);
  assert.deepEqual(rows, [{ date_of_birth: '1960-04-02' }]);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a date of birth before 1900 or in the future is refused by name wherever it is given, and nothing is taken', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 9, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 9 + 56, capacity: 5, slotCount: 1 });
  for (const dob of ['1880-01-01', '2099-01-01']) {
    const book = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(64, dob)] } });
    assert.equal(book.statusCode, 400, book.body);
    assert.equal(book.json().field, 'persons.0.dateOfBirth');
    const hold = await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], dateOfBirth: dob } });
    assert.equal(hold.json().field, 'dateOfBirth', hold.body);
    const search = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { latitude: 43.7, longitude: -79.4, radiusKm: 25, dateOfBirth: '1980-01-01', alsoFor: [dob] } });
    assert.equal(search.json().field, 'alsoFor.0', search.body);
    const eligibility = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: dob, regionCode: 'TST' } });
    assert.equal(eligibility.json().field, 'dateOfBirth', eligibility.body);
  }
  const { rows } = await pool.query<{ held: number; booked: number }>('SELECT sum(held)::int AS held, sum(booked)::int AS booked FROM slots WHERE id = ANY($1)', [[d1, d2]]);
  assert.deepEqual(rows[0], { held: 0, booked: 0 });
});

test('a hold kept for two is booked for exactly two, said by name; times read back as they were given, on the clinic\'s clock', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 10, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 10 + 56, capacity: 5, slotCount: 1 });
  const hold = await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], seats: 2 } });
  const one = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { holdId: hold.json().holdId, persons: [person(65)] } });
  assert.equal(one.statusCode, 400, one.body);
  assert.equal(one.json().field, 'persons');
  assert.match(one.json().message, /kept for 2 people/);
  const two = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { holdId: hold.json().holdId, persons: [person(65), { ...person(66, '2012-02-02'), email: undefined }] } });
  assert.equal(two.statusCode, 201, two.body);
  const found = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: two.json().confirmationCode, dateOfBirth: '1960-04-02' } });
  assert.deepEqual(found.json().appointments.map((a: { startsAt: string }) => a.startsAt).sort(), two.json().appointments.map((a: { startsAt: string }) => a.startsAt).sort());
  // The fixture's clinic is in Toronto: its wall clock and offset, the same instant as the slot's.
  const { rows: [slot] } = await pool.query<{ starts_at: Date }>('SELECT starts_at FROM slots WHERE id = $1', [d1]);
  const first = found.json().appointments.find((a: { dose: number }) => a.dose === 1);
  assert.match(first.startsAt, /^\d{4}-\d\d-\d\dT09:00:00-0[45]:00$/, "the session starts at 09:00 on the clinic's clock");
  assert.equal(Date.parse(first.startsAt), slot!.starts_at.getTime());
  assert.equal(first.clinic.timeZone, 'America/Toronto');
});

test('dose 2 moves after dose 1 was given; dose 1 moves after dose 2 was cancelled', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 12, capacity: 5, slotCount: 1 });
  const d2 = await session(pool, ref, { daysAhead: 12 + 56, capacity: 5, slotCount: 2 });
  const code = await bookSeries(67, d1!, d2[0]!);
  // Dose 1 given: its appointment completed and the dose recorded (by hand here: the clinic's own path has its tests).
  await pool.query(`UPDATE appointments SET status = 'completed' WHERE slot_id = $1`, [d1]);
  await pool.query('UPDATE slots SET booked = booked - 1 WHERE id = $1', [d1]);
  await pool.query(`INSERT INTO dose_records (region_id, person_id, product_id, dose_number, administered_at, source)
    SELECT a.region_id, a.person_id, a.product_id, 1, a.starts_at, 'administered' FROM appointments a WHERE a.slot_id = $1`, [d1]);
  const moved = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 2, slotId: d2[1] } });
  assert.equal(moved.statusCode, 200, moved.body);
  const givenAlready = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'accept-language': 'fr' }, payload: { confirmationCode: code, dateOfBirth: '1960-04-02', doses: [1] } });
  assert.deepEqual([givenAlready.statusCode, givenAlready.json().code], [409, 'dose_given']);
  assert.match(givenAlready.json().message, /déjà été administrée/);

  const [e1, e1b] = await session(pool, ref, { daysAhead: 13, capacity: 5, slotCount: 2 });
  const [e2] = await session(pool, ref, { daysAhead: 13 + 56, capacity: 5, slotCount: 1 });
  const other = await bookSeries(68, e1!, e2!);
  assert.deepEqual((await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: other, dateOfBirth: '1960-04-02', doses: [2] } })).json(), { cancelled: 1 });
  const alone = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: other, dateOfBirth: '1960-04-02', dose: 1, slotId: e1b } });
  assert.equal(alone.statusCode, 200, alone.body);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a dose 2 booked apart from its dose 1 follows the dose 1 booked here, whatever is declared', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 14, capacity: 5, slotCount: 1 });
  const [sameDay] = await session(pool, ref, { daysAhead: 14, capacity: 5, slotCount: 1, startsAt: '15:00' });
  const d2 = await session(pool, ref, { daysAhead: 14 + 56, capacity: 5, slotCount: 2 });
  const code = await bookSeries(80, d1!, d2[0]!);
  assert.deepEqual((await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: '1960-04-02', doses: [2] } })).json(), { cancelled: 1 });
  // A dose 1 declared as had long ago does not let dose 2 land on the day of the dose 1 still booked.
  const declared = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {
    slots: [{ dose: 2, slotId: sameDay }], persons: [{ ...person(80), previousDoses: [{ date: '2026-01-05', product: 'test-mrna' }] }] } });
  assert.equal(declared.statusCode, 403, declared.body);
  assert.equal(declared.json().code, 'not_eligible');
  assert.equal(await pool.query('SELECT 1 FROM dose_records d JOIN persons p ON p.id = d.person_id WHERE p.identifier = $1', [person(80).identifier]).then((r) => r.rowCount), 0,
    'the declared dose is not recorded');
  // Dose 1 booked again, while booked: already booked, not "dose 2 is next".
  const again = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {
    slots: [{ dose: 1, slotId: sameDay }, { dose: 2, slotId: d2[1] }], persons: [{ ...person(80), previousDoses: [] }] } });
  assert.deepEqual([again.statusCode, again.json().code], [409, 'already_booked']);
  // Dose 2 in its window after the dose 1 booked, without declaring anything: booked.
  const rebooked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 2, slotId: d2[1] }], persons: [person(80)] } });
  assert.equal(rebooked.statusCode, 201, rebooked.body);
  assert.deepEqual(rebooked.json().appointments.map((a: { dose: number }) => a.dose), [2]);
  assert.deepEqual(await counterDrift(pool), []);
});

test('guessing a card holder\'s date of birth through bookings is throttled per card; a group says whose card it is', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 14, capacity: 20, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 14 + 56, capacity: 20, slotCount: 1 });
  await bookSeries(69, d1!, d2!);
  // Two workers of one service, taking turns: the count of wrong birthdays is one.
  const workers = [app, await buildApp({ pool, logLevel: 'silent' })];
  let turn = 0;
  const guess = (dob: string, persons: Array<Record<string, unknown>> = [{ ...person(69), dateOfBirth: dob }], headers: Record<string, string> = {}) =>
    workers[turn++ % 2]!.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons } });
  const group = await guess('', [person(90), { ...person(69), dateOfBirth: '2010-10-10', email: undefined }]);
  assert.equal(group.json().code, 'identity_mismatch', group.body);
  assert.equal(group.json().detail.person, 1, 'the second person\'s card');
  for (const dob of ['1960-04-03', '1960-04-04', '1960-04-05', '1960-04-06']) assert.equal((await guess(dob)).json().code, 'identity_mismatch');
  for (const headers of [{}, { 'idempotency-key': 'key-0000-right-guess' }] as Array<Record<string, string>>) {
    const right = await guess('1960-04-02', undefined, headers);
    assert.equal(right.statusCode, 429, 'after five wrong birthdays, even the right one waits: nothing tells them apart');
    assert.ok(Number(right.headers['retry-after']) > 0);
    assert.match(right.json().message, /minutes|seconds/);
  }
  // With doses declared, the doses recorded or booked are read, and would answer for the right birthday: not any more.
  const declaring = await guess('1960-04-02', [{ ...person(69), previousDoses: [{ date: '2025-01-06', product: 'test-mrna' }] }]);
  assert.deepEqual([declaring.statusCode, declaring.json().code], [429, 'too_many_attempts']);
  await workers[1]!.close();
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(91)] } })).statusCode, 201, 'other cards book as usual');
});

test('a hold already booked is said to be used, not to have run out; the booking\'s own repeat still replays', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 16, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 16 + 56, capacity: 5, slotCount: 1 });
  const hold = (await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }] } })).json();
  const body = { holdId: hold.holdId, persons: [person(92)] };
  const first = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'idempotency-key': 'key-0000-hold-used' }, payload: body });
  assert.equal(first.statusCode, 201, first.body);
  const repeat = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'idempotency-key': 'key-0000-hold-used' }, payload: body });
  assert.equal(repeat.json().confirmationCode, first.json().confirmationCode);
  const again = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { holdId: hold.holdId, persons: [person(93)] } });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json().code, 'hold_used');
});

test('a hold never made is not found (404), one given up is said to be released, not to have run out', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const release = await app.inject({ method: 'DELETE', url: `/api/v1/holds/${unknown}` });
  assert.equal(release.statusCode, 404, release.body);
  assert.equal(release.json().code, 'hold_not_found');
  const fromUnknown = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { holdId: unknown, persons: [person(94)] } });
  assert.equal(fromUnknown.statusCode, 404, fromUnknown.body);
  assert.equal(fromUnknown.json().code, 'hold_not_found');

  const [d1] = await session(pool, ref, { daysAhead: 17, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 17 + 56, capacity: 5, slotCount: 1 });
  const hold = (await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }] } })).json();
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/holds/${hold.holdId}` })).statusCode, 204);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/holds/${hold.holdId}` })).statusCode, 204, 'releasing it again changes nothing');
  const fromReleased = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'accept-language': 'fr' }, payload: { holdId: hold.holdId, persons: [person(94)] } });
  assert.equal(fromReleased.statusCode, 410, fromReleased.body);
  assert.equal(fromReleased.json().code, 'hold_released');
  assert.match(fromReleased.json().message, /libérés/);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a hold is released by a client that sends Content-Type: application/json with an empty body; its seats are free at once', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 18, capacity: 1, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 18 + 56, capacity: 1, slotCount: 1 });
  const take = () => app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }] } });
  const hold = await take();
  assert.equal(hold.statusCode, 201, hold.body);
  assert.equal((await take()).statusCode, 409, 'the only seat is held');
  const release = await app.inject({ method: 'DELETE', url: `/api/v1/holds/${hold.json().holdId}`, headers: { 'content-type': 'application/json' } });
  assert.equal(release.statusCode, 204, release.body);
  assert.equal((await take()).statusCode, 201, 'the seat is free again');
  assert.deepEqual(await counterDrift(pool), []);
});

test('a blank name, or a dose already had before birth or in the future, is refused by name and nothing is taken', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 18, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 18 + 56, capacity: 5, slotCount: 1 });
  const book = (p: object) => app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 2, slotId: d2 }], persons: [p] } });
  const blank = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'accept-language': 'fr' },
    payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [{ ...person(95), givenName: '   ' }] } });
  assert.equal(blank.statusCode, 400, blank.body);
  assert.equal(blank.json().field, 'persons.0.givenName');
  assert.match(blank.json().message, /vide/);
  for (const date of ['1959-01-01', '2099-01-01']) {
    const r = await book({ ...person(95), previousDoses: [{ date, product: 'test-mrna' }] });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().field, 'persons.0.previousDoses.0.date');
  }
  const unknownProduct = await book({ ...person(95), previousDoses: [{ date: '2026-01-05', product: 'sputnik' }] });
  assert.equal(unknownProduct.statusCode, 400, unknownProduct.body);
  assert.equal(unknownProduct.json().field, 'persons.0.previousDoses.0.product', 'named as the request names it');
  const search = await app.inject({ method: 'POST', url: '/api/v1/availability/search',
    payload: { latitude: 43.7, longitude: -79.4, radiusKm: 25, dateOfBirth: '1980-01-01', dose: 2, previousDoseDate: '1800-11-20', previousProduct: 'test-mrna' } });
  assert.equal(search.statusCode, 400, search.body);
  assert.equal(search.json().field, 'previousDoseDate');
  const { rows } = await pool.query<{ n: number }>('SELECT sum(booked + held)::int AS n FROM slots WHERE id = ANY($1)', [[d1, d2]]);
  assert.deepEqual(rows[0], { n: 0 });
});

test('a contact channel or a name that cannot reach or name anyone is refused by name, in the person\'s language', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 18, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 18 + 56, capacity: 5, slotCount: 1 });
  const book = (who: Record<string, unknown>, lang = 'en') => app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'accept-language': lang },
    payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [{ ...person(81), email: undefined, ...who }] } });
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ mobile: '       ' }, 'persons.0.mobile', /phone number of 7 to 15 digits/],
    [{ mobile: '-------' }, 'persons.0.mobile', /phone number/],
    [{ mobile: '+1 (416) 55' }, 'persons.0.mobile', /phone number/],
    [{ address: { line: ' ', city: 'Ottawa', postalCode: 'K1A 0B1' } }, 'persons.0.address.line', /must not be blank/],
    [{ address: { line: '1 Main St', city: '\u00a0', postalCode: 'K1A 0B1' } }, 'persons.0.address.city', /must not be blank/],
    [{ address: { line: '1 Main St', city: 'Ottawa', postalCode: '   ' } }, 'persons.0.address.postalCode', /postal code/],
    [{ email: 'a@example.org', givenName: '\u200b\u200b' }, 'persons.0.givenName', /must not be blank/],
    [{ email: 'a@example.org', givenName: '\u2060' }, 'persons.0.givenName', /must not be blank/],
    [{ email: 'a@example.org', familyName: '\u3164' }, 'persons.0.familyName', /must not be blank/],
  ];
  for (const [who, field, message] of cases) {
    const r = await book(who);
    assert.deepEqual([r.statusCode, r.json().field], [400, field], `${JSON.stringify(who)}: ${r.body}`);
    assert.match(r.json().message, message);
  }
  const fr = await book({ mobile: '-------' }, 'fr-CA');
  assert.match(fr.json().message, /numéro de téléphone/);
  assert.equal(await pool.query('SELECT 1 FROM persons WHERE identifier = $1', [person(81).identifier]).then((r) => r.rowCount), 0, 'nobody was recorded');
  const ok = await book({ mobile: '+1 (416) 555-0100', givenName: 'Zoë', familyName: 'Ó Briain-李' });
  assert.equal(ok.statusCode, 201, ok.body);
});

test('the alternatives of a full slot fit the rest of the series and the party\'s size, at a clinic nearby when not here', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 22, capacity: 5, slotCount: 1 });
  const tooEarly = await session(pool, ref, { daysAhead: 22 + 20, capacity: 5, slotCount: 3 }); // dose 2 comes 21 days after at least
  const [full] = await session(pool, ref, { daysAhead: 22 + 21, capacity: 1, slotCount: 1, startsAt: '08:00' });
  const inWindow = await session(pool, ref, { daysAhead: 22 + 22, capacity: 5, slotCount: 2 });
  await bookSeries(82, d1!, full!);
  const refused = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: full }], persons: [person(83)] } });
  assert.deepEqual([refused.statusCode, refused.json().code], [409, 'slot_full']);
  const offered = refused.json().detail.alternatives.map((a: { slotId: number }) => a.slotId);
  assert.ok(offered.length > 0 && offered.every((id: number) => !tooEarly.includes(id)), `none before dose 2 may come: ${offered}`);
  assert.ok(offered.includes(inWindow[0]));
  const taken = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: offered[0] }], persons: [person(83)] } });
  assert.equal(taken.statusCode, 201, `an alternative books: ${taken.body}`);

  // Two children on times of one place each: the times with room for two are at the clinic 1.4 km away.
  const other = await pool.query<{ id: number }>(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
     VALUES ($1, 'TST-2', 'Nearby Clinic', 'pharmacy', '2 Main Street', 'Toronto', 'M5V 1A2', 43.71, -79.41, 'America/Toronto') RETURNING id`, [ref.regionId]);
  forgetCachedReferenceData(pool);
  const [single] = await session(pool, ref, { daysAhead: 90, capacity: 1, slotCount: 1, startsAt: '08:00' });
  const [second] = await session(pool, ref, { daysAhead: 90 + 30, capacity: 5, slotCount: 1 });
  const roomy = await session(pool, { ...ref, clinicId: other.rows[0]!.id }, { daysAhead: 90, capacity: 4, slotCount: 2 });
  const pair = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {
    slots: [{ dose: 1, slotId: single }, { dose: 2, slotId: second }], persons: [person(84), { ...person(85), dateOfBirth: '2008-05-05' }] } });
  assert.deepEqual([pair.statusCode, pair.json().code], [409, 'slot_full'], pair.body);
  const nearby = pair.json().detail.alternatives;
  assert.deepEqual(nearby.map((a: { slotId: number }) => a.slotId).sort(), [...roomy].sort());
  assert.ok(nearby.every((a: { clinicName: string; free: number }) => a.clinicName === 'Nearby Clinic' && a.free >= 2));
  assert.deepEqual(await counterDrift(pool), []);
});

test('an Idempotency-Key is bound to what it was first sent to: another operation or another hold is a reuse (422)', async () => {
  const [d1, d1b] = await session(pool, ref, { daysAhead: 19, capacity: 5, slotCount: 2 });
  const [d2] = await session(pool, ref, { daysAhead: 19 + 56, capacity: 5, slotCount: 1 });
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'idempotency-key': 'key-0000-bound-1' },
    payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(96)] } });
  assert.equal(booked.statusCode, 201, booked.body);
  const hold = await app.inject({ method: 'POST', url: '/api/v1/holds', headers: { 'idempotency-key': 'key-0000-bound-1' }, payload: { slots: [{ dose: 1, slotId: d1b }, { dose: 2, slotId: d2 }] } });
  assert.equal(hold.statusCode, 422, hold.body);
  assert.equal(hold.json().code, 'idempotency_key_reused');

  const holds = await Promise.all([d1, d1b].map(async (slotId) =>
    (await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId }, { dose: 2, slotId: d2 }] } })).json().holdId as string));
  const release = (id: string) => app.inject({ method: 'DELETE', url: `/api/v1/holds/${id}`, headers: { 'idempotency-key': 'key-0000-bound-2' } });
  assert.equal((await release(holds[0]!)).statusCode, 204);
  assert.equal((await release(holds[0]!)).statusCode, 204, 'the same request again');
  const other = await release(holds[1]!);
  assert.equal(other.statusCode, 422, other.body);
  assert.equal((await pool.query('SELECT status FROM holds WHERE id = $1', [holds[1]])).rows[0].status, 'active', 'the second hold is kept');
  assert.deepEqual(await counterDrift(pool), []);
});

test('a used Idempotency-Key sent with another request is a reuse (422) before anything else is wrong with that request; a request refused before acting leaves the key free', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 20, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 20 + 56, capacity: 5, slotCount: 1 });
  const post = (url: string, key: string, payload: object) => app.inject({ method: 'POST', url, headers: { 'idempotency-key': key }, payload });
  // Refused before it acted (dose 1 without its dose 2): the key stays free for the corrected request.
  const alone = await post('/api/v1/bookings', 'key-0000-first-wins', { slots: [{ dose: 1, slotId: d1 }], persons: [person(97)] });
  assert.equal(alone.json().code, 'pairing_required', alone.body);
  const booked = await post('/api/v1/bookings', 'key-0000-first-wins', { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(97)] });
  assert.equal(booked.statusCode, 201, booked.body);
  const code = booked.json().confirmationCode;
  for (const [what, payload] of [
    ['dose 1 alone', { slots: [{ dose: 1, slotId: d1 }], persons: [person(97)] }],
    ['a card number that is wrong', { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [{ ...person(97), identifier: '1234567890' }] }],
    ['another person', { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [person(98)] }],
  ] as const) {
    const r = await post('/api/v1/bookings', 'key-0000-first-wins', payload);
    assert.equal(r.statusCode, 422, `${what}: ${r.body}`);
    assert.equal(r.json().code, 'idempotency_key_reused', what);
  }
  // Nor can a request refused before it is read (not what the schema takes, or not JSON) be the one the key answered.
  const unread = await post('/api/v1/bookings', 'key-0000-first-wins', { slots: 'x' });
  assert.deepEqual([unread.statusCode, unread.json().code, unread.json().field], [422, 'idempotency_key_reused', 'idempotency-key'], unread.body);
  const notJson = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { 'idempotency-key': 'key-0000-first-wins', 'content-type': 'application/json' }, payload: '{"slots":' });
  assert.equal(notJson.json().code, 'idempotency_key_reused', notJson.body);
  const freshKey = await post('/api/v1/bookings', 'key-0000-never-used', { slots: 'x' });
  assert.deepEqual([freshKey.statusCode, freshKey.json().code], [400, 'invalid_input'], 'with an unused key it is the body that is wrong');
  const same = await post('/api/v1/bookings', 'key-0000-first-wins', { persons: [person(97)], slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }] });
  assert.equal(same.statusCode, 201, same.body);
  assert.equal(same.json().confirmationCode, code, 'the same request is replayed');

  const cancelled = await post('/api/v1/bookings/cancel', 'key-0000-cancel-first', { confirmationCode: code, dateOfBirth: '1960-04-02', doses: [2] });
  assert.deepEqual(cancelled.json(), { cancelled: 1 });
  const unknown = await post('/api/v1/bookings/cancel', 'key-0000-cancel-first', { confirmationCode: 'ZZZZZZZZZZ', dateOfBirth: '1960-04-02' });
  assert.equal(unknown.json().code, 'idempotency_key_reused', unknown.body);
  const moved = await post('/api/v1/bookings/reschedule', 'key-0000-cancel-first', { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 1, slotId: d1 });
  assert.equal(moved.statusCode, 422, 'a key is its first operation\'s');
  const held = await post('/api/v1/holds', 'key-0000-hold-first', { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }] });
  assert.equal(held.statusCode, 201, held.body);
  const heldAlone = await post('/api/v1/holds', 'key-0000-hold-first', { slots: [{ dose: 1, slotId: d1 }] });
  assert.equal(heldAlone.json().code, 'idempotency_key_reused', heldAlone.body);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a dose the booking never had is not cancelled as nothing (409 nothing_to_cancel); the times of a clinic that does not exist are a 404, not an empty day', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 21, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 21 + 56, capacity: 5, slotCount: 1 });
  const code = await bookSeries(99, d1!, d2!);
  const cancel = (doses: number[]) => app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', headers: { 'accept-language': 'fr' }, payload: { confirmationCode: code, dateOfBirth: '1960-04-02', doses } });
  const nine = await cancel([9]);
  assert.equal(nine.statusCode, 409, nine.body);
  assert.equal(nine.json().code, 'nothing_to_cancel');
  assert.match(nine.json().message, /pas de rendez-vous/);
  assert.deepEqual((await cancel([2])).json(), { cancelled: 1 });
  assert.deepEqual((await cancel([2])).json(), { cancelled: 0 }, 'a dose cancelled already: nothing more to do');
  const nowhere = await app.inject({ method: 'GET', url: `/api/v1/clinics/999999/days/${localDate(new Date(), 'America/Toronto')}/slots` });
  assert.equal(nowhere.statusCode, 404, nowhere.body);
  assert.deepEqual([nowhere.json().code, nowhere.json().field], ['clinic_not_found', 'clinicId']);
});

test('a guardian cancels one child\'s dose 2 alone, naming the child as the appointments do; the other child and the capacity follow', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 23, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 23 + 56, capacity: 5, slotCount: 1 });
  const parent = { ...person(110, '1980-03-03'), givenName: 'Ada' };
  const kids = [{ ...person(111, '2012-05-05'), givenName: 'Ben', email: undefined }, { ...person(112, '2013-06-06'), givenName: 'Cleo', email: undefined }];
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [parent, ...kids] } });
  assert.equal(booked.statusCode, 201, booked.body);
  const code = booked.json().confirmationCode;
  const lookup = async () => (await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: code, dateOfBirth: '2013-06-06' } })).json();
  const listed = (await lookup()).appointments.map((a: { person: number; personGivenName: string; dose: number }) => `${a.person}:${a.personGivenName}:${a.dose}`);
  assert.deepEqual(listed, ['0:Ada:1', '0:Ada:2', '1:Ben:1', '1:Ben:2', '2:Cleo:1', '2:Cleo:2'], 'people in the order they were booked, as the booking answered');
  assert.deepEqual(booked.json().appointments.map((a: { person: number; personGivenName: string; dose: number }) => `${a.person}:${a.personGivenName}:${a.dose}`), listed);
  const cancel = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: '2013-06-06', ...payload } });
  const nobody = await cancel({ doses: [2], person: 3 });
  assert.deepEqual([nobody.statusCode, nobody.json().field], [400, 'person'], nobody.body);
  const firstAlone = await cancel({ doses: [1], person: 2 });
  assert.equal(firstAlone.json().code, 'later_dose_booked', 'her dose 2 would stay without its dose 1');
  assert.deepEqual((await cancel({ doses: [2], person: 2 })).json(), { cancelled: 1 });
  const after = (await lookup()).appointments.filter((a: { status: string }) => a.status === 'booked').map((a: { personGivenName: string; dose: number }) => `${a.personGivenName}:${a.dose}`);
  assert.deepEqual(after, ['Ada:1', 'Ada:2', 'Ben:1', 'Ben:2', 'Cleo:1']);
  const { rows } = await pool.query<{ booked: number }>('SELECT booked FROM slots WHERE id = $1', [d2]);
  assert.equal(rows[0]!.booked, 2, 'her place on the dose-2 time is free at once');
  assert.deepEqual((await cancel({ doses: [1], person: 2 })).json(), { cancelled: 1 }, 'now her dose 1 may go too');
  // Below the service's own check, an index that names nobody cancels nothing, never everyone's doses.
  const { rows: [b] } = await pool.query<{ id: number }>('SELECT id FROM bookings WHERE confirmation_code = $1', [code]);
  assert.equal(await cancelInDatabase(pool, b!.id, [2], 7), 0);
  assert.deepEqual(await counterDrift(pool), []);
});

test('a guardian moves one child\'s dose 2 alone, checked against that child\'s own doses; moving everyone takes everyone along', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 24, capacity: 5, slotCount: 1 });
  const [d2, one, three, two] = await session(pool, ref, { daysAhead: 24 + 56, capacity: 1, slotCount: 4 });
  await pool.query('UPDATE slots SET capacity = 5 WHERE id = $1', [d2]);
  await pool.query('UPDATE slots SET capacity = 3 WHERE id = $1', [three]);
  await pool.query('UPDATE slots SET capacity = 2 WHERE id = $1', [two]);
  const parent = { ...person(120, '1980-03-03'), givenName: 'Ada' };
  const kids = [{ ...person(121, '2012-05-05'), givenName: 'Ben', email: undefined }, { ...person(122, '2013-06-06'), givenName: 'Cleo', email: undefined }];
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }], persons: [parent, ...kids] } });
  assert.equal(booked.statusCode, 201, booked.body);
  const code = booked.json().confirmationCode;
  const move = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1980-03-03', ...payload } });
  const where = (view: { appointments: Array<{ personGivenName: string; dose: number; status: string; slotId: number }> }) =>
    view.appointments.filter((a) => a.status === 'booked').map((a) => `${a.personGivenName}:${a.dose}:${a.slotId}`);

  const nobody = await move({ dose: 2, slotId: one, person: 3 });
  assert.deepEqual([nobody.statusCode, nobody.json().field], [400, 'person'], nobody.body);
  // A JSON body is taken as typed: null, true or "1" is not a person's number (never read as 0 or 1).
  for (const typed of [null, true, '1']) {
    const r = await move({ dose: 2, slotId: one, person: typed });
    assert.deepEqual([r.statusCode, r.json().field], [400, 'person'], r.body);
  }
  const ben = await move({ dose: 2, slotId: one, person: 1 });
  assert.equal(ben.statusCode, 200, ben.body);
  assert.deepEqual(where(ben.json()), [`Ada:1:${d1}`, `Ada:2:${d2}`, `Ben:1:${d1}`, `Ben:2:${one}`, `Cleo:1:${d1}`, `Cleo:2:${d2}`]);
  const seats = async () => (await pool.query<{ id: number; booked: number }>('SELECT id, booked FROM slots WHERE id = ANY ($1) ORDER BY id', [[d2, one]])).rows.map((r) => r.booked);
  assert.deepEqual(await seats(), [2, 1], 'his place on the old time is free at once, one seat taken on the new');

  // Everyone's dose 2 (Ben's included, on his own time) to one slot: a slot with room for two is too small for three.
  const tooSmall = await move({ dose: 2, slotId: two });
  assert.equal(tooSmall.json().code, 'slot_full', tooSmall.body);
  assert.deepEqual(await seats(), [2, 1], 'nothing moved');
  const all = await move({ dose: 2, slotId: three });
  assert.equal(all.statusCode, 200, all.body);
  assert.deepEqual(where(all.json()), [`Ada:1:${d1}`, `Ada:2:${three}`, `Ben:1:${d1}`, `Ben:2:${three}`, `Cleo:1:${d1}`, `Cleo:2:${three}`]);
  assert.deepEqual(await seats(), [0, 0]);

  // The call centre moves one person the same way.
  const agent = await app.inject({ method: 'POST', url: `/api/v1/staff/bookings/${code}/reschedule`, headers: { authorization: `Bearer ${ADMIN}` },
    payload: { dose: 2, slotId: one, person: 2, reason: 'Caller: Cleo has a school trip that day' } });
  assert.equal(agent.statusCode, 200, agent.body);
  assert.deepEqual(where(agent.json()).filter((x) => x.startsWith('Cleo')), [`Cleo:1:${d1}`, `Cleo:2:${one}`]);
  // Everyone back to one slot where two of them are already: only Cleo moves; the others' appointments stay as they
  // are (not cancelled and made again, so nobody is told their time moved).
  const rows = async () => (await pool.query<{ id: number; given_name: string; status: string }>(
    `SELECT a.id, p.given_name, a.status FROM appointments a JOIN persons p ON p.id = a.person_id JOIN bookings b ON b.id = a.booking_id
      WHERE b.confirmation_code = $1 AND a.dose_number = 2 ORDER BY a.id`, [code])).rows;
  const stayed = (await rows()).filter((r) => r.status === 'booked' && r.given_name !== 'Cleo').map((r) => r.id);
  const back = await move({ dose: 2, slotId: three });
  assert.equal(back.statusCode, 200, back.body);
  assert.deepEqual((await rows()).filter((r) => r.status === 'booked' && r.given_name !== 'Cleo').map((r) => r.id), stayed);
  assert.equal((await rows()).filter((r) => r.given_name === 'Ada').length, 2, 'Ada: her first dose 2 and the one it moved to, nothing more');
  // A time too early for everyone's dose 1 says whose series it breaks.
  const [early] = await session(pool, ref, { daysAhead: 24 + 5, capacity: 5, slotCount: 1 });
  const tooEarly = await move({ dose: 2, slotId: early });
  assert.equal(tooEarly.json().code, 'series_invalid', tooEarly.body);
  assert.deepEqual([tooEarly.json().detail.problem, tooEarly.json().detail.person], ['interval', 0]);
  // Below the service's own check, an index that names nobody moves nothing, never everyone's doses.
  const { rows: [b] } = await pool.query<{ id: number }>('SELECT id FROM bookings WHERE confirmation_code = $1', [code]);
  await assert.rejects(rescheduleInDatabase(pool, b!.id, 2, three!, 7), (err: { refusal?: string }) => err.refusal === 'nothing_to_reschedule');
  assert.deepEqual(await counterDrift(pool), []);
});

test('an answer stored before appointments said whose they are is replayed as it was, not refused by the schema', async () => {
  const [d1] = await session(pool, ref, { daysAhead: 24, capacity: 5, slotCount: 2 });
  const [d2] = await session(pool, ref, { daysAhead: 24 + 56, capacity: 5, slotCount: 1 });
  const code = await bookSeries(113, d1!, d2!);
  const { rows: [later] } = await pool.query<{ id: number }>('SELECT id FROM slots WHERE session_id = (SELECT session_id FROM slots WHERE id = $1) AND id <> $1', [d1]);
  const move = () => app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', headers: { 'idempotency-key': 'key-0000-stored-before' },
    payload: { confirmationCode: code, dateOfBirth: '1960-04-02', dose: 1, slotId: later!.id } });
  assert.equal((await move()).statusCode, 200);
  const { rows: [stored] } = await pool.query<{ result: { result: { appointments: Array<Record<string, unknown>> } } }>(
    "SELECT result FROM idempotency_keys WHERE operation = 'rescheduleBooking' AND key = 'key-0000-stored-before'");
  for (const a of stored!.result.result.appointments) delete a.person;
  await pool.query("UPDATE idempotency_keys SET result = $1 WHERE operation = 'rescheduleBooking' AND key = 'key-0000-stored-before'", [JSON.stringify(stored!.result)]);
  const replayed = await move();
  assert.equal(replayed.statusCode, 200, replayed.body);
  assert.equal(replayed.headers['idempotent-replayed'], 'true');
});

test('the sweeper forgets guessing counts whose window has ended, and keeps the others', async () => {
  await pool.query(`INSERT INTO rate_limits (key, points, expire) VALUES ('test:ended', 3, $1), ('test:running', 3, $2)`, [Date.now() - 1000, Date.now() + 60_000]);
  assert.ok((await purgeExpiredRateLimits(pool)) >= 1);
  const { rows } = await pool.query<{ key: string }>(`SELECT key FROM rate_limits WHERE key LIKE 'test:%' ORDER BY key`);
  assert.deepEqual(rows.map((r) => r.key), ['test:running']);
});
