import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { createPool } from '../../src/db/database.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { serviceStatus } from '../../src/services/status-service.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/db.js';

// The public status says, from the outbox itself, whether messages go out; no worker runs here, so the
// messages of a booking stay waiting and their lateness is set by hand.

let pool: pg.Pool;
let app: FastifyInstance;
let code: string;
// A fresh look each time, past the 15 s cache.
const look = () => serviceStatus(pool, new Date(), 0);
const component = (s: Awaited<ReturnType<typeof look>>, id: string) => s.components.find((c) => c.id === id)!;

before(async () => {
  ({ pool } = await freshDatabase());
  const ref = await baseReferenceData(pool);
  const [d1] = await session(pool, ref, { daysAhead: 3, capacity: 5, slotCount: 1 });
  const [d2] = await session(pool, ref, { daysAhead: 3 + 28, capacity: 5, slotCount: 1 });
  app = await buildApp({ pool, logLevel: 'silent' });
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {
    slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }],
    persons: [{ identifier: withCheckDigits('ontario-health-card', '555000111'), dateOfBirth: '1958-06-01', givenName: 'Ada', familyName: 'Status', email: 'ada@example.org', mobile: '613 555 0199' }],
  } });
  assert.equal(booked.statusCode, 201, booked.body);
  code = booked.json().confirmationCode;
});
after(() => app.close());

const setOutbox = (channel: string, set: string) => pool.query(
  `UPDATE outbox o SET ${set} FROM bookings b WHERE b.id = o.booking_id AND b.confirmation_code = $1 AND o.channel = $2`, [code, channel]);

test('GET /api/v1/status: booking and each channel, cacheable, no personal data', async () => {
  const r = await app.inject('/api/v1/status');
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['cache-control'], 'public, max-age=15');
  const body = r.json();
  assert.deepEqual(body.components.map((c: { id: string }) => c.id), ['booking', 'email', 'sms', 'letter']);
  assert.equal(component(body, 'booking').status, 'operational');
  assert.equal(component(body, 'email').waiting, 1, 'the confirmation waits (no worker here)');
  assert.doesNotMatch(r.body, /ada@|613|Ada/);
});

test('an e-mail due 10 minutes ago makes e-mail delayed; 40 minutes, disrupted, and the whole service with it', async () => {
  await setOutbox('email', `due_since = now() - interval '10 minutes'`);
  const delayed = await look();
  assert.deepEqual(component(delayed, 'email'), { id: 'email', status: 'delayed', waiting: 1, delayMinutes: 10 });
  assert.equal(delayed.status, 'delayed');
  await setOutbox('email', `due_since = now() - interval '40 minutes'`);
  const down = await look();
  assert.equal(component(down, 'email').status, 'disrupted');
  assert.equal(down.status, 'disrupted');
  assert.equal(component(down, 'booking').status, 'operational', 'booking works whatever the messages do');
  // The same verdict for the operators' alerts (the last look is what /metrics reads for the next 15 s).
  const metrics = (await app.inject('/metrics')).body;
  assert.match(metrics, /vaxbook_service_status\{component="email"\} 3\n/);
  assert.match(metrics, /vaxbook_service_status\{component="booking"\} 0\n/);
  assert.match(metrics, /vaxbook_message_delay_minutes\{channel="email"\} 40\n/);
});

test('an SMS held overnight on purpose is waiting, not late; one retried for 45 minutes is a disruption', async () => {
  await setOutbox('email', `status = 'sent', sent_at = now()`);
  await setOutbox('sms', `next_attempt_at = now() + interval '9 hours', due_since = now() + interval '9 hours'`);
  const night = await look();
  assert.deepEqual(component(night, 'sms'), { id: 'sms', status: 'operational', waiting: 1, delayMinutes: 0 });
  assert.equal(night.status, 'operational');
  await setOutbox('sms', `status = 'failed', attempts = 3, next_attempt_at = now() + interval '5 minutes', due_since = now() - interval '45 minutes', last_error = 'HTTP 500'`);
  assert.equal(component(await look(), 'sms').status, 'disrupted');
});

test('with the database unreachable the status still answers: booking disrupted, messages unknown', async () => {
  const down = createPool('postgres://vaxbook@127.0.0.1:1/vaxbook', 1);
  const s = await serviceStatus(down);
  assert.equal(s.status, 'disrupted');
  assert.equal(component(s, 'booking').status, 'disrupted');
  assert.deepEqual(s.components.slice(1).map((c) => c.status), ['unknown', 'unknown', 'unknown']);
  await down.end();
});
