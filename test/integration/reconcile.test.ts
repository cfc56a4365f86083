import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { projectRoot } from '../../src/paths.js';
import { freshDatabase } from '../helpers/db.js';
import { baseReferenceData, persons, session } from '../helpers/fixtures.js';
import * as bookings from '../../src/db/repositories/booking-repository.js';

test('reconcile finds no drift after real bookings, and names the slot when a counter drifts', async () => {
  const { pool, url } = await freshDatabase();
  const ref = await baseReferenceData(pool);
  const slots = await session(pool, ref, { daysAhead: 3, capacity: 4, slotCount: 2 });
  const [p] = await persons(pool, 1);
  await bookings.book(pool, { personIds: [p!], slots: [slots[0]!], doses: [1], channel: 'portal', code: 'RECON-1' });
  await bookings.createHold(pool, [slots[1]!], [1], 2, 10);

  const app = await buildApp({ pool, logLevel: 'silent', adminToken: 'test-admin-token-123456' });
  const denied = await app.inject('/api/v1/admin/reconcile');
  assert.equal(denied.statusCode, 401);
  const clean = await app.inject({ url: '/api/v1/admin/reconcile', headers: { authorization: 'Bearer test-admin-token-123456' } });
  assert.equal(clean.statusCode, 200);
  assert.equal(clean.json().ok, true);

  // Simulate drift that bypasses the booking functions (a bad manual fix, say).
  await pool.query('ALTER TABLE slots DISABLE TRIGGER slots_day_availability_update');
  await pool.query('UPDATE slots SET booked = booked + 1 WHERE id = $1', [slots[0]]);
  await pool.query('ALTER TABLE slots ENABLE TRIGGER slots_day_availability_update');
  const drift = await app.inject({ url: '/api/v1/admin/reconcile', headers: { authorization: 'Bearer test-admin-token-123456' } });
  assert.equal(drift.json().ok, false);
  assert.deepEqual(drift.json().counterDrift.map((d: { slot_id: number }) => d.slot_id), [slots[0]]);
  assert.equal(drift.json().summaryDrift.length, 1);
  await app.close();

  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'reconcile'], {
    cwd: projectRoot, env: { PATH: process.env.PATH, DATABASE_URL: url }, encoding: 'utf8',
  });
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stderr, /Drift found: 1 slot/);
});
