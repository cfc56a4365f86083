import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type pg from 'pg';
import { DEMO_DAYS, loadDemoProvince } from '../../src/services/data-set-service.js';
import { freshDatabase } from '../helpers/db.js';

let pool: pg.Pool;
const now = new Date('2026-03-10T15:00:00Z'); // spans the 14 March DST change in Toronto
let first: Awaited<ReturnType<typeof loadDemoProvince>>;

before(async () => {
  ({ pool } = await freshDatabase());
  first = await loadDemoProvince(pool, 42, now);
});

const one = async <T extends pg.QueryResultRow>(sql: string): Promise<T> => (await pool.query<T>(sql)).rows[0]!;

test('loads a realistic province: 34 units, ~300 clinics, 8 weeks of published sessions from today', async () => {
  assert.equal(first.loaded, true);
  assert.equal(first.firstDay, '2026-03-10');
  assert.equal((await one<{ n: number }>('SELECT count(*)::int n FROM regions')).n, 34);
  const clinics = (await one<{ n: number }>('SELECT count(*)::int n FROM clinics')).n;
  assert.ok(clinics >= 290 && clinics <= 320);
  const days = await one<{ lo: string; hi: string; unpublished: number }>(
    'SELECT min(day)::text lo, max(day)::text hi, count(*) FILTER (WHERE published_at IS NULL)::int unpublished FROM clinic_days');
  assert.equal(days.lo, '2026-03-10');
  assert.equal(days.hi, '2026-05-04'); // 56 days
  assert.equal(days.unpublished, 0);
  assert.equal(DEMO_DAYS, 56);
  assert.ok(first.slots > 500_000, `${first.slots} slots`);
});

test('every constraint holds for the demo data', async () => {
  // Re-validate every CHECK and foreign key over the loaded rows.
  const constraints = await pool.query<{ table: string; name: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name FROM pg_constraint
     WHERE contype IN ('c', 'f') AND connamespace = 'public'::regnamespace`);
  assert.ok(constraints.rowCount! > 20);
  for (const c of constraints.rows) {
    const def = await pool.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) def FROM pg_constraint WHERE conname = $1 AND conrelid = $2::regclass`, [c.name, c.table]);
    await pool.query(`ALTER TABLE ${c.table} ADD CONSTRAINT zz_probe ${def.rows[0]!.def} NOT VALID`);
    await pool.query(`ALTER TABLE ${c.table} VALIDATE CONSTRAINT zz_probe`);
    await pool.query(`ALTER TABLE ${c.table} DROP CONSTRAINT zz_probe`);
  }
});

test('slots tile their sessions, with capacity = stations, in the clinic time zone', async () => {
  const bad = await one<{ n: number }>(
    `SELECT count(*)::int n FROM slots s JOIN sessions se ON se.id = s.session_id
     WHERE s.starts_at < se.starts_at OR s.ends_at > se.ends_at OR s.capacity <> se.stations
        OR s.ends_at - s.starts_at <> make_interval(mins => se.minutes_per_appointment)`);
  assert.equal(bad.n, 0);
  const perSession = await one<{ n: number }>(
    `SELECT count(*)::int n FROM sessions se
     WHERE (SELECT count(*) FROM slots s WHERE s.session_id = se.id)
        <> floor(extract(epoch FROM se.ends_at - se.starts_at) / 60 / se.minutes_per_appointment)`);
  assert.equal(perSession.n, 0);
  // Mass sites open at 08:00 local time, before and after the DST change.
  const opens = await pool.query<{ local: string }>(
    `SELECT DISTINCT to_char(min(se.starts_at) AT TIME ZONE c.time_zone, 'HH24:MI') AS local
     FROM sessions se JOIN clinics c ON c.id = se.clinic_id
     WHERE c.kind = 'mass_site' GROUP BY se.clinic_day_id, c.time_zone`);
  assert.deepEqual(opens.rows.map((r) => r.local), ['08:00']);
});

test('the demo is loaded once and kept', async () => {
  const before = await one<{ n: number }>('SELECT count(*)::int n FROM slots');
  const again = await loadDemoProvince(pool, 42, new Date('2026-04-01T12:00:00Z'));
  assert.equal(again.loaded, false);
  assert.equal((await one<{ n: number }>('SELECT count(*)::int n FROM slots')).n, before.n);
});

test('a database holding its own clinics is never overwritten by demo data', async () => {
  const { pool: other } = await freshDatabase();
  await other.query(`INSERT INTO regions (code, name, latitude, longitude) VALUES ('XX', 'Test', 45, -75)`);
  await other.query(`INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
                     SELECT id, 'MINE', 'Mine', 'pharmacy', '1 Main', 'Town', 'K1A 0A1', 45, -75, 'America/Toronto' FROM regions`);
  const r = await loadDemoProvince(other, 42, now);
  assert.equal(r.loaded, false);
  assert.equal((await other.query('SELECT count(*)::int n FROM clinics')).rows[0].n, 1);
});

test('the demo roll-out is loaded with it, dated from its first day', async () => {
  const v = await pool.query<{ version: number; created_by: string; opens: string }>(
    `SELECT version, created_by, p->>'opens' AS opens FROM rollout_versions, jsonb_array_elements(document->'phases') p WHERE p->>'id' = 'children'`);
  assert.equal(v.rows.length, 1);
  assert.equal(v.rows[0]!.created_by, 'demo data');
  assert.equal(v.rows[0]!.opens, first.firstDay, 'children 5–11 from the first day');
});
