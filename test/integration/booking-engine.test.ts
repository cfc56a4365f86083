import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type pg from 'pg';
import * as bookings from '../../src/db/repositories/booking-repository.js';
import { BookingError } from '../../src/domain/booking-errors.js';
import { freshDatabase } from '../helpers/db.js';
import { baseReferenceData, persons, session } from '../helpers/fixtures.js';

let pool: pg.Pool;
let ref: Awaited<ReturnType<typeof baseReferenceData>>;
let codeSeq = 0;
const code = () => `TEST-${process.pid}-${++codeSeq}`;

before(async () => {
  ({ pool } = await freshDatabase({ poolSize: 40 }));
  ref = await baseReferenceData(pool);
});

async function assertNoDrift() {
  assert.deepEqual(await bookings.counterDrift(pool), [], 'slot counters equal the rows they count');
}

const refusal = (err: unknown) => (err instanceof BookingError ? err.refusal : `unexpected: ${String(err)}`);

test('200 concurrent clients race for one slot of capacity 50: exactly 50 appointments, 150 slot_full', async () => {
  const [slot] = await session(pool, ref, { daysAhead: 3, capacity: 50, slotCount: 1 });
  const people = await persons(pool, 200, 'race');
  const results = await Promise.allSettled(people.map((p) =>
    bookings.book(pool, { personIds: [p], slots: [slot!], doses: [1], channel: 'portal', code: code() })));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const refusals = results.flatMap((r) => (r.status === 'rejected' ? [refusal(r.reason)] : []));
  assert.equal(ok, 50);
  assert.deepEqual([...new Set(refusals)], ['slot_full']);
  assert.equal(refusals.length, 150);
  const [state] = await bookings.slotStates(pool, [slot!]);
  assert.equal(state!.booked, 50);
  // A refusal leaves nothing behind: no booking row, no message.
  const written = await pool.query<{ bookings: number; messaged: number }>(
    `SELECT (SELECT count(*)::int FROM bookings b JOIN persons p ON p.id = b.person_id WHERE p.identifier LIKE 'race%') AS bookings,
            (SELECT count(DISTINCT o.booking_id)::int FROM outbox o JOIN persons p ON p.id = o.person_id WHERE p.identifier LIKE 'race%') AS messaged`);
  assert.deepEqual(written.rows[0], { bookings: 50, messaged: 50 });
  await assertNoDrift();
});

test('100 concurrent series bookings over shared dose-2 slots: both doses or neither, never over capacity', async () => {
  const dose1 = await session(pool, ref, { daysAhead: 5, capacity: 10, slotCount: 10 });
  const dose2 = await session(pool, ref, { daysAhead: 40, capacity: 3, slotCount: 20 }); // 60 places for 100 people
  const people = await persons(pool, 100, 'series');
  const results = await Promise.allSettled(people.map((p, i) =>
    bookings.book(pool, { personIds: [p], slots: [dose1[i % 10]!, dose2[(i * 7) % 20]!], doses: [1, 2], channel: 'portal', code: code() })));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  assert.ok(ok > 0 && ok <= 60, `${ok} booked`);
  for (const r of results) if (r.status === 'rejected') assert.equal(refusal(r.reason), 'slot_full');
  const perBooking = await pool.query<{ n: number }>(
    `SELECT count(*)::int n FROM appointments a JOIN persons p ON p.id = a.person_id
     WHERE p.identifier LIKE 'series%' GROUP BY a.booking_id`);
  assert.equal(perBooking.rowCount, ok);
  for (const row of perBooking.rows) assert.equal(row.n, 2, 'each booking has both doses');
  const over = await pool.query('SELECT 1 FROM slots WHERE booked + held > capacity');
  assert.equal(over.rowCount, 0);
  await assertNoDrift();
});

test('series bookings whose slots were published in a different order from their days never deadlock', async () => {
  // Day A's afternoon session was published after day B's: its slot ids are higher than B's, its morning's lower.
  // Bookings A-morning + B take A's summary row first; bookings A-afternoon + B would take B's first unless the
  // lock order follows the clinic-day, not the slot id alone.
  const morning = await session(pool, ref, { daysAhead: 8, capacity: 20, slotCount: 5 });
  const dose2 = await session(pool, ref, { daysAhead: 45, capacity: 30, slotCount: 5 });
  const afternoon = await session(pool, ref, { daysAhead: 8, capacity: 20, slotCount: 5, startsAt: '14:00' });
  assert.ok(morning[0]! < dose2[0]! && dose2[0]! < afternoon[0]!);
  const people = await persons(pool, 120, 'order');
  const results = await Promise.allSettled(people.map((p, i) =>
    bookings.book(pool, { personIds: [p], slots: [(i % 2 ? afternoon : morning)[i % 5]!, dose2[(i * 3) % 5]!], doses: [1, 2], channel: 'portal', code: code() })));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  assert.deepEqual(failures, []);
  await assertNoDrift();
});

test('reschedules crossing each other between two days never deadlock, and every booking keeps one dose 2', async () => {
  const dose1 = await session(pool, ref, { daysAhead: 9, capacity: 40, slotCount: 2 });
  const dayB = await session(pool, ref, { daysAhead: 50, capacity: 40, slotCount: 2 });
  const dayC = await session(pool, ref, { daysAhead: 51, capacity: 40, slotCount: 2 });
  const people = await persons(pool, 60, 'cross');
  const booked = await Promise.all(people.map((p, i) =>
    bookings.book(pool, { personIds: [p], slots: [dose1[i % 2]!, (i % 2 ? dayC : dayB)[0]!], doses: [1, 2], channel: 'portal', code: code() })));
  // Half move B -> C while the other half move C -> B: a take-then-release order would lock the days oppositely.
  const results = await Promise.allSettled(booked.map((id, i) => bookings.reschedule(pool, id, 2, (i % 2 ? dayB : dayC)[1]!)));
  assert.deepEqual(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])), []);
  const dose2 = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM appointments WHERE booking_id = ANY ($1::bigint[]) AND dose_number = 2 AND status = 'booked'
      GROUP BY booking_id`, [booked]);
  assert.equal(dose2.rowCount, booked.length);
  assert.ok(dose2.rows.every((r) => r.n === 1));
  await assertNoDrift();
});

test('moving a dose to another time of the same day never deadlocks with a booking of that time', async () => {
  const day = await session(pool, ref, { daysAhead: 12, capacity: 5, slotCount: 3 });
  const [person] = await persons(pool, 1, 'sameday');
  const booking = await bookings.book(pool, { personIds: [person!], slots: [day[0]!], doses: [1], channel: 'portal', code: code() });
  // A booking of the later time has locked its slot and is about to update the day's summary row.
  const other = await pool.connect();
  try {
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM slots WHERE id = $1 FOR UPDATE', [day[1]]);
    const moving = bookings.reschedule(pool, booking, 1, day[1]!);
    for (let waited = 0; ; waited += 20) {
      const r = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%vaxbook_reschedule%'`);
      if (r.rowCount) break;
      assert.ok(waited < 5000, 'the reschedule waits for the locked slot');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Updating the slot's counter takes the summary row: had the reschedule taken it first, this is a deadlock.
    await other.query(`SELECT vaxbook_take($1::bigint[], 1, 'booked')`, [[day[1]]]);
    await other.query('ROLLBACK');
    assert.equal(await moving, 1);
  } finally {
    other.release();
  }
  const [was, now] = await bookings.slotStates(pool, [day[0]!, day[1]!]);
  assert.deepEqual([was!.booked, now!.booked], [0, 1]);
  await assertNoDrift();
});

test('a hold takes capacity, expires, and its capacity returns; expiry is checked at use', async () => {
  const [slot] = await session(pool, ref, { daysAhead: 6, capacity: 1, slotCount: 1 });
  const [a, b] = await persons(pool, 2, 'hold');
  const hold = await bookings.createHold(pool, [slot!], [1], 1, 10);
  await assert.rejects(bookings.book(pool, { personIds: [b!], slots: [slot!], doses: [1], channel: 'portal', code: code() }),
    (e) => refusal(e) === 'slot_full');
  // Let it expire without the sweeper: the next taker reclaims it.
  await pool.query(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [hold.id]);
  await assert.rejects(bookings.book(pool, { personIds: [a!], holdId: hold.id, channel: 'portal', code: code() }),
    (e) => refusal(e) === 'hold_expired');
  await bookings.book(pool, { personIds: [b!], slots: [slot!], doses: [1], channel: 'portal', code: code() });
  await assertNoDrift();

  const [slot2] = await session(pool, ref, { daysAhead: 7, capacity: 1, slotCount: 1 });
  const h2 = await bookings.createHold(pool, [slot2!], [1], 1, 10);
  await pool.query(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [h2.id]);
  assert.ok((await bookings.expireHolds(pool)) >= 1, 'the sweeper ends expired holds');
  assert.equal((await bookings.slotStates(pool, [slot2!]))[0]!.held, 0);
  await assertNoDrift();
});

test('booking from a hold books its slots; releasing a hold frees them at once', async () => {
  const [s1] = await session(pool, ref, { daysAhead: 8, capacity: 2, slotCount: 1 });
  const [s2] = await session(pool, ref, { daysAhead: 50, capacity: 2, slotCount: 1 });
  const [p, q] = await persons(pool, 2, 'fromhold');
  const hold = await bookings.createHold(pool, [s1!, s2!], [1, 2], 1, 10);
  const id = await bookings.book(pool, { personIds: [p!], holdId: hold.id, channel: 'portal', code: code() });
  const appts = await pool.query('SELECT dose_number, slot_id FROM appointments WHERE booking_id = $1 ORDER BY dose_number', [id]);
  assert.deepEqual(appts.rows.map((r) => [r.dose_number, r.slot_id]), [[1, s1], [2, s2]]);
  const again = await bookings.createHold(pool, [s1!], [1], 1, 10);
  assert.equal(await bookings.releaseHold(pool, again.id), true);
  assert.equal(await bookings.releaseHold(pool, again.id), false, 'a hold ends once');
  await bookings.book(pool, { personIds: [q!], slots: [s1!], doses: [1], channel: 'portal', code: code() });
  assert.equal((await bookings.slotStates(pool, [s1!]))[0]!.booked, 2);
  await assertNoDrift();
});

test('the database refuses a second active appointment for the same dose, and overlapping ones', async () => {
  const slots = await session(pool, ref, { daysAhead: 9, capacity: 5, slotCount: 3, minutes: 10 });
  const [p] = await persons(pool, 1, 'dup');
  await bookings.book(pool, { personIds: [p!], slots: [slots[0]!], doses: [1], channel: 'portal', code: code() });
  await assert.rejects(bookings.book(pool, { personIds: [p!], slots: [slots[1]!], doses: [1], channel: 'call_centre', code: code() }),
    (e) => refusal(e) === 'already_booked');
  await assert.rejects(bookings.book(pool, { personIds: [p!], slots: [slots[0]!], doses: [2], channel: 'portal', code: code() }),
    (e) => refusal(e) === 'overlapping');
  await assertNoDrift();
});

test('cancelling frees capacity at once; unpublished or past slots cannot be taken', async () => {
  const [slot] = await session(pool, ref, { daysAhead: 10, capacity: 1, slotCount: 1 });
  const [p, q] = await persons(pool, 2, 'cancel');
  const id = await bookings.book(pool, { personIds: [p!], slots: [slot!], doses: [1], channel: 'portal', code: code() });
  assert.equal(await bookings.cancel(pool, id, null), 1);
  assert.equal(await bookings.cancel(pool, id, null), 0, 'cancelling twice changes nothing');
  await bookings.book(pool, { personIds: [q!], slots: [slot!], doses: [1], channel: 'portal', code: code() });
  const [hidden] = await session(pool, ref, { daysAhead: 11, capacity: 5, slotCount: 1, published: false });
  await assert.rejects(bookings.book(pool, { personIds: [p!], slots: [hidden!], doses: [1], channel: 'portal', code: code() }),
    (e) => refusal(e) === 'slot_unavailable');
  await assertNoDrift();
});

test('a held place on a day cancelled meanwhile cannot be booked, and the hold is not used up', async () => {
  const [slot] = await session(pool, ref, { daysAhead: 12, capacity: 2, slotCount: 1 });
  const [p] = await persons(pool, 1, 'cancelled-day');
  const hold = await bookings.createHold(pool, [slot!], [1], 1, 10);
  await pool.query(`UPDATE clinic_days SET cancelled_at = now(), cancel_reason = 'storm' WHERE id = (SELECT clinic_day_id FROM slots WHERE id = $1)`, [slot]);
  await assert.rejects(bookings.book(pool, { personIds: [p!], holdId: hold.id, channel: 'portal', code: code() }),
    (e) => refusal(e) === 'slot_unavailable');
  assert.equal((await pool.query('SELECT status FROM holds WHERE id = $1', [hold.id])).rows[0].status, 'active');
  await assertNoDrift();
});
