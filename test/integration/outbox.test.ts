import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/db.js';

/** The outbox: every change writes the message it owes in its own transaction — once, and never for a change rolled back. */
let app: FastifyInstance;
let pool: pg.Pool;
let dose1: number[] = [];
let dose2: number[] = [];

before(async () => {
  ({ pool } = await freshDatabase());
  const ref = await baseReferenceData(pool);
  dose1 = await session(pool, ref, { daysAhead: 2, capacity: 1, slotCount: 4 });
  dose2 = await session(pool, ref, { daysAhead: 30, capacity: 5, slotCount: 4 });
  app = await buildApp({ pool, logLevel: 'silent' });
});
after(() => app.close());

const messages = async () => (await pool.query<{ kind: string; booking_id: string; payload: { appointments?: number[]; reason?: string }; status: string }>(
  `SELECT kind, booking_id::text, payload, status FROM outbox ORDER BY id`)).rows;

test('a booking, its replay, a move and a cancellation each owe exactly one message; a refused booking owes none', async () => {
  const body = (n: number, slot: number) => ({ slots: [{ dose: 1, slotId: slot }, { dose: 2, slotId: dose2[0] }],
    persons: [{ identifier: withCheckDigits('ontario-health-card', String(500000000 + n)), dateOfBirth: '1970-01-01', givenName: `P${n}`, familyName: 'Outbox', email: `p${n}@example.org` }] });
  const headers = { 'idempotency-key': 'outbox-test-key-1' };
  const first = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: body(1, dose1[0]!) });
  assert.equal(first.statusCode, 201, first.body);
  const replay = await app.inject({ method: 'POST', url: '/api/v1/bookings', headers, payload: body(1, dose1[0]!) });
  assert.equal(replay.statusCode, 201);
  assert.deepEqual((await messages()).map((m) => m.kind), ['booking_confirmation'], 'the replay owes no second confirmation');
  assert.equal((await messages())[0]!.status, 'queued');

  const full = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: body(2, dose1[0]!) });
  assert.equal(full.statusCode, 409, 'the slot of capacity 1 is taken');
  assert.equal((await messages()).length, 1, 'a refused booking left no message behind');

  const code = first.json().confirmationCode;
  const moved = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: '1970-01-01', dose: 2, slotId: dose2[1] } });
  assert.equal(moved.statusCode, 200, moved.body);
  const cancelled = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: '1970-01-01' } });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  const all = await messages();
  assert.deepEqual(all.map((m) => m.kind), ['booking_confirmation', 'reschedule', 'cancellation'], 'a move is said as a move, not as a cancellation');
  assert.equal(all[2]!.payload.appointments!.length, 2, 'one cancellation message for both doses');
  assert.ok(all.every((m) => m.booking_id === all[0]!.booking_id));
});
