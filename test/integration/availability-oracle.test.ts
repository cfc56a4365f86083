/**
 * Truthfulness (DESIGN.md invariant 5): over random worlds of clinics,
 * sessions, publication states and holds, search offers exactly the
 * clinic-days a brute-force oracle over the raw rows finds bookable, with the
 * same free counts, across every page; and what it offers can be booked.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import type pg from 'pg';
import * as bookingsRepo from '../../src/db/repositories/booking-repository.js';
import { addDays, localDate } from '../../src/domain/calendar.js';
import { ageInMonths } from '../../src/domain/age.js';
import { canFollow, dayInWindow, nextDoseWindow, productFitsAge } from '../../src/domain/dose-series.js';
import { distanceKm, offsetKm } from '../../src/domain/geo.js';
import * as availability from '../../src/services/availability-service.js';
import type { Product } from '../../src/domain/availability.js';
import { products as loadProducts } from '../../src/db/repositories/availability-repository.js';
import { freshDatabase } from '../helpers/db.js';
import { persons as makePersons } from '../helpers/fixtures.js';

const CENTRE = { latitude: 43.7, longitude: -79.4 };
let pool: pg.Pool;
let regionId: number;
let products: Product[];

before(async () => {
  ({ pool } = await freshDatabase({ poolSize: 8 }));
  regionId = (await pool.query<{ id: number }>(`INSERT INTO regions (code, name, latitude, longitude) VALUES ('ORA', 'Oracle', 43.7, -79.4) RETURNING id`)).rows[0]!.id;
  await pool.query(`
    INSERT INTO products (code, name, manufacturer, cvx, min_age_months, max_age_months, doses_per_vial, series_doses, interchangeable_group) VALUES
      ('mrna-a', 'mRNA A', 'A', '208', 144, NULL, 6, 2, 'mrna'),
      ('mrna-b', 'mRNA B', 'B', '207', 144, NULL, 10, 2, 'mrna'),
      ('ped', 'Pediatric', 'A', '218', 60, 144, 10, 2, 'mrna'),
      ('single', 'Single dose', 'J', '212', 216, NULL, 5, 1, NULL)`);
  await pool.query(`
    INSERT INTO product_intervals (product_id, after_dose, min_days, recommended_days, max_days)
    SELECT id, 1, CASE code WHEN 'mrna-b' THEN 28 ELSE 21 END, CASE code WHEN 'mrna-b' THEN 35 ELSE 56 END, CASE code WHEN 'mrna-b' THEN 42 ELSE NULL END
    FROM products WHERE code <> 'single'`);
  products = await loadProducts(pool);
});

interface SessionSpec { dayOffset: number; product: number; capacity: number; slots: number; published: boolean; cancelled: boolean; takes: number[] }
interface World { clinics: Array<{ km: number; bearing: number; sessions: SessionSpec[] }>; ageYears: number; radius: number; fromOffset: number; span: number; productFilter: number | null }

const sessionArb = fc.record({
  dayOffset: fc.integer({ min: 1, max: 60 }),
  product: fc.integer({ min: 0, max: 3 }),
  capacity: fc.integer({ min: 1, max: 2 }),
  slots: fc.integer({ min: 1, max: 2 }),
  published: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  cancelled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  takes: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }),
});
const worldArb: fc.Arbitrary<World> = fc.record({
  clinics: fc.array(fc.record({
    km: fc.integer({ min: 0, max: 40 }),
    bearing: fc.integer({ min: 0, max: 359 }),
    sessions: fc.array(sessionArb, { maxLength: 10 }),
  }), { minLength: 1, maxLength: 5 }),
  ageYears: fc.integer({ min: 3, max: 80 }),
  radius: fc.integer({ min: 3, max: 45 }).map((r) => r + 0.5), // never on a whole-km clinic distance
  fromOffset: fc.integer({ min: 1, max: 20 }),
  span: fc.integer({ min: 0, max: 30 }),
  productFilter: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
});

async function build(world: World): Promise<{ today: string; clinicIds: number[] }> {
  await pool.query('TRUNCATE hold_items, holds, appointments, bookings, persons, slots, sessions, clinic_days, clinics RESTART IDENTITY CASCADE');
  const today = localDate(new Date(), 'America/Toronto');
  const clinicIds: number[] = [];
  for (const [i, c] of world.clinics.entries()) {
    const at = offsetKm(CENTRE, c.km, c.bearing);
    const id = (await pool.query<{ id: number }>(
      `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
       VALUES ($1, $2, $3, 'pharmacy', '1 Main', 'Town', 'M5V 1A1', $4, $5, 'America/Toronto') RETURNING id`,
      [regionId, `ORA-${i}`, `Clinic ${i}`, at.latitude, at.longitude])).rows[0]!.id;
    clinicIds.push(id);
    for (const s of c.sessions) {
      const day = addDays(today, s.dayOffset);
      const { id: cd, open } = (await pool.query<{ id: number; open: boolean }>(
        `INSERT INTO clinic_days (region_id, clinic_id, day, published_at, cancelled_at, cancel_reason)
         VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END, CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN 'test' END)
         ON CONFLICT (clinic_id, day) DO UPDATE SET clinic_id = EXCLUDED.clinic_id
         RETURNING id, published_at IS NOT NULL AND cancelled_at IS NULL AS open`,
        [regionId, id, day, s.published, s.cancelled])).rows[0]!;
      // Sessions of one day follow each other so they never overlap.
      const start = (await pool.query<{ n: number }>('SELECT count(*)::int n FROM sessions WHERE clinic_day_id = $1', [cd])).rows[0]!.n * 60;
      const sess = (await pool.query<{ id: number }>(
        `INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
         VALUES ($1, $2, $3, $4, ($5::date + time '09:00') AT TIME ZONE 'America/Toronto' + make_interval(mins => $6::int),
                 ($5::date + time '09:00') AT TIME ZONE 'America/Toronto' + make_interval(mins => $6::int + 10 * $7::int), $8, 10)
         RETURNING id`, [regionId, id, cd, products[s.product]!.id, day, start, s.slots, s.capacity])).rows[0]!.id;
      await pool.query(
        `INSERT INTO slots (region_id, clinic_id, clinic_day_id, session_id, product_id, starts_at, ends_at, capacity)
         SELECT region_id, clinic_id, clinic_day_id, id, product_id, t, t + interval '10 minutes', stations
         FROM sessions, generate_series(starts_at, ends_at - interval '10 minutes', interval '10 minutes') t WHERE id = $1`, [sess]);
      const slotIds = (await pool.query<{ id: number; capacity: number }>('SELECT id, capacity FROM slots WHERE session_id = $1 ORDER BY id', [sess])).rows;
      for (const [k, slot] of slotIds.entries()) {
        const take = Math.min(s.takes[k] ?? 0, slot.capacity);
        // Holds consume capacity through the real functions (only published, open days can be held).
        if (take > 0 && open) await bookingsRepo.createHold(pool, [slot.id], [1], take, 10);
      }
    }
  }
  availability.forgetCachedReferenceData(pool);
  return { today, clinicIds };
}

/** Brute force over raw rows: free = capacity − active appointments − active hold seats. */
async function oracle(world: World, today: string, dob: string): Promise<Map<string, number>> {
  const rows = (await pool.query<{ clinic_id: number; day: string; product_id: number; free: number; latitude: number; longitude: number }>(
    `SELECT s.clinic_id, cd.day::text AS day, s.product_id, c.latitude, c.longitude,
            s.capacity - (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('booked', 'checked_in'))
                       - coalesce((SELECT sum(h.seats) FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE i.slot_id = s.id AND h.status = 'active'), 0) AS free
     FROM slots s JOIN clinic_days cd ON cd.id = s.clinic_day_id JOIN clinics c ON c.id = s.clinic_id
     WHERE cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL AND s.starts_at > now() AND c.status = 'open'`)).rows
    .map((r) => ({ ...r, free: Number(r.free) }))
    .filter((r) => distanceKm(CENTRE, r) <= world.radius && r.free > 0);
  const byId = new Map(products.map((p) => [p.id, p]));
  const from = addDays(today, world.fromOffset);
  const to = addDays(from, world.span);
  const expected = new Map<string, number>();
  for (const r of rows) {
    const p = byId.get(r.product_id)!;
    if (r.day < from || r.day > to) continue;
    if (world.productFilter !== null && products[world.productFilter]!.id !== p.id) continue;
    if (!productFitsAge(p, ageInMonths(dob, r.day))) continue;
    if (p.seriesDoses > 1) {
      const window = nextDoseWindow(p, 2, r.day);
      const pairable = rows.some((x) => {
        const q = byId.get(x.product_id)!;
        return canFollow(p, q) && productFitsAge(q, ageInMonths(dob, x.day)) && dayInWindow(x.day, window);
      });
      if (!pairable) continue;
    }
    const key = `${r.clinic_id}|${r.day}|${p.code}`;
    expected.set(key, (expected.get(key) ?? 0) + r.free);
  }
  return expected;
}

test('search offers exactly what a brute-force oracle finds bookable, on every page, and it can be booked', async () => {
  let booked = 0;
  const run = await fc.check(fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 3 }), async (world, limit) => {
    const { today } = await build(world);
    const dob = addDays(today, -Math.round(world.ageYears * 365.25) - 17);
    const from = addDays(today, world.fromOffset);
    const input: availability.SearchInput = {
      ...CENTRE, radiusKm: world.radius, from, to: addDays(from, world.span), dateOfBirth: dob, dose: 1,
      productCode: world.productFilter === null ? undefined : products[world.productFilter]!.code, accessibility: [], limit,
    };
    const actual = new Map<string, number>();
    const offers: availability.ClinicOffer[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await availability.searchAvailability(pool, { ...input, cursor, firstTimesDays: 92 });
      assert.ok(page.items.length <= limit);
      if (page.items.length === 0 && !cursor) assert.ok(page.explanation, 'an empty answer explains itself');
      for (const c of page.items) {
        offers.push(c);
        for (const d of c.days) {
          const key = `${c.clinic.id}|${d.day}|${d.product.code}`;
          assert.ok(!actual.has(key), `offered twice: ${key}`);
          actual.set(key, d.freeCapacity);
          assert.ok(d.firstTimes.length > 0, 'an offered day comes with its first free times');
          assert.ok(((await availability.daySlots(pool, c.clinic.id, d.day, d.product.code)) ?? []).length > 0, 'an offered day has a free time');
          if (d.nextDose) assert.ok(dayInWindow(d.nextDose.day, d.nextDose.window));
        }
      }
      cursor = page.nextCursor;
      assert.ok(++pages < 50);
    } while (cursor);
    assert.deepEqual(Object.fromEntries([...actual].sort()), Object.fromEntries([...(await oracle(world, today, dob))].sort()));

    // What search shows as bookable can be booked: dose 1 at the first free time, dose 2 on the suggested day.
    const offer = offers[0]?.days[0];
    if (offer) {
      const slots: Array<{ dose: number; slotId: number }> = [{ dose: 1, slotId: offer.firstTimes[0]!.slotId }];
      if (offer.nextDose) {
        const times = (await availability.daySlots(pool, offer.nextDose.clinicId, offer.nextDose.day, offer.nextDose.productCode)) ?? [];
        assert.ok(times.length > 0, 'the suggested dose-2 day has a free time');
        slots.push({ dose: 2, slotId: times[0]!.slotId });
      }
      const [person] = await makePersons(pool, 1, `oracle-${booked}-`);
      await pool.query('UPDATE persons SET date_of_birth = $2 WHERE id = $1', [person, dob]);
      await bookingsRepo.book(pool, { personIds: [person!], slots: slots.map((s) => s.slotId), doses: slots.map((s) => s.dose), channel: 'portal', code: `ORACLE-${booked++}` });
    }
    assert.deepEqual(await bookingsRepo.counterDrift(pool), []);
    assert.deepEqual(await bookingsRepo.summaryDrift(pool), []);
  }), {
    numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31),
    // A world that certainly has offers, so the booking half of the property always runs.
    examples: [[{
      clinics: [
        { km: 2, bearing: 90, sessions: [
          { dayOffset: 2, product: 0, capacity: 2, slots: 2, published: true, cancelled: false, takes: [1, 0] },
          { dayOffset: 30, product: 0, capacity: 2, slots: 2, published: true, cancelled: false, takes: [0, 0] }] },
        { km: 5, bearing: 180, sessions: [{ dayOffset: 3, product: 1, capacity: 1, slots: 1, published: true, cancelled: false, takes: [0, 0] }] },
        { km: 8, bearing: 270, sessions: [{ dayOffset: 35, product: 1, capacity: 2, slots: 1, published: true, cancelled: false, takes: [0, 0] }] },
      ],
      ageYears: 40, radius: 10.5, fromOffset: 1, span: 5, productFilter: null,
    }, 1]],
  });
  if (run.failed) {
    const cause = run.errorInstance instanceof Error ? run.errorInstance.stack ?? run.errorInstance.message : String(run.errorInstance);
    assert.fail(`seed ${run.seed}, counterexample ${JSON.stringify(run.counterexample)}:\n${cause}`);
  }
  assert.ok(booked >= 1, `booked through ${booked} offers`);
});
