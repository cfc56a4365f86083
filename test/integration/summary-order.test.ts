import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { insertSlotsForSessions } from '../../src/db/repositories/seed-repository.js';
import { reorderSummary, summaryClinicCorrelation } from '../../src/db/repositories/summary-order-repository.js';
import { keepSummaryInClinicOrder } from '../../src/services/summary-order-service.js';
import { freshDatabase } from '../helpers/db.js';
import { baseReferenceData } from '../helpers/fixtures.js';

/** 40 clinics × 15 days, published day by day across all clinics, as a province does: the summary ends up day-major. */
async function provincePublishedDayByDay(pool: pg.Pool): Promise<void> {
  const ref = await baseReferenceData(pool);
  await pool.query(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
     SELECT $1, 'C-' || g, 'Clinic ' || g, 'pharmacy', g || ' Main Street', 'Toronto', 'M5V 1A1', 43.7, -79.4, 'America/Toronto'
       FROM generate_series(1, 39) g`, [ref.regionId]);
  for (let day = 1; day <= 15; day++) {
    const s = await pool.query<{ lo: number; hi: number }>(
      `WITH d AS (
         INSERT INTO clinic_days (region_id, clinic_id, day, published_at)
         SELECT c.region_id, c.id, current_date + $2::int, now() FROM clinics c ORDER BY c.id RETURNING id, clinic_id, region_id, day),
       s AS (
         INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
         SELECT d.region_id, d.clinic_id, d.id, $1, (d.day + time '09:00') AT TIME ZONE 'America/Toronto',
                (d.day + time '10:00') AT TIME ZONE 'America/Toronto', 2, 10 FROM d RETURNING id)
       SELECT min(id) AS lo, max(id) AS hi FROM s`, [ref.productId, day]);
    await insertSlotsForSessions(pool, s.rows[0]!.lo, s.rows[0]!.hi);
  }
  await pool.query('ANALYZE day_availability');
}

const summary = async (pool: pg.Pool) => (await pool.query<{ clinic_id: number; day: string; capacity: number; taken: number }>(
  'SELECT clinic_id, day::text, capacity, taken FROM day_availability ORDER BY clinic_id, day')).rows;

test('at night the summary is rewritten in clinic order, with the same rows, and only when it has drifted', async () => {
  const { pool } = await freshDatabase();
  await provincePublishedDayByDay(pool);
  const before = await summary(pool);
  assert.equal(before.length, 40 * 15);
  const drifted = await summaryClinicCorrelation(pool);
  assert.ok(drifted !== null && drifted < 0.5, `published day by day, each clinic's rows lie apart (correlation ${drifted})`);

  // 12:30 in Toronto: never during the day, whatever the order.
  assert.equal(await keepSummaryInClinicOrder(pool, new Date('2026-12-02T17:30:00Z')), 'not_needed');
  assert.equal(await summaryClinicCorrelation(pool), drifted);

  // 03:30 in Toronto.
  assert.equal(await keepSummaryInClinicOrder(pool, new Date('2026-12-02T08:30:00Z')), 'reordered');
  assert.ok((await summaryClinicCorrelation(pool))! > 0.99);
  const physical = (await pool.query<{ clinic_id: number; day: string }>('SELECT clinic_id, day::text FROM day_availability ORDER BY ctid')).rows;
  assert.deepEqual(physical, before.map((r) => ({ clinic_id: r.clinic_id, day: r.day })), 'stored clinic by clinic, day by day');
  assert.deepEqual(await summary(pool), before, 'the same rows and figures');
  assert.equal((await pool.query('SELECT 1 FROM day_availability_drift')).rowCount, 0);

  // In order now: the next night leaves it alone.
  assert.equal(await keepSummaryInClinicOrder(pool, new Date('2026-12-03T08:30:00Z')), 'not_needed');
});

test('the rewrite gives way to a booking in progress instead of queueing behind it, and leaves the connection as it was', async () => {
  const { pool, url } = await freshDatabase({ poolSize: 1 });
  await provincePublishedDayByDay(pool);
  const booking = new pg.Client({ connectionString: url });
  await booking.connect();
  try {
    await booking.query('BEGIN');
    await booking.query('UPDATE day_availability SET taken = taken + 1 WHERE clinic_day_id = (SELECT min(clinic_day_id) FROM day_availability)');
    assert.equal(await reorderSummary(pool, 200), false);
    assert.equal(await keepSummaryInClinicOrder(pool, new Date('2026-12-02T08:30:00Z')), 'busy');
    // The pool's only connection is back without the lock timeout.
    assert.equal((await pool.query<{ lock_timeout: string }>('SHOW lock_timeout')).rows[0]!.lock_timeout, '0');
    await booking.query('ROLLBACK');
  } finally {
    await booking.end();
  }
  assert.equal(await reorderSummary(pool, 200), true);
});
