import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { smtpSender } from '../../src/notifications/channels/email.js';
import { webhookSender } from '../../src/notifications/channels/sms.js';
import { messageIdOf, type Channels } from '../../src/notifications/delivery.js';
import { startDeliveryWorker, type DeliveryWorker } from '../../src/notifications/worker.js';
import { projectRoot } from '../../src/paths.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';
import { freshDatabase, stopBeforeDrop } from '../helpers/db.js';
import { eventually, startSilentServer, startSmsSink, startSmtpSink, type SmsSink, type SmtpSink } from '../helpers/providers.js';

/**
 * Failure isolation: a booking never waits for a provider. With the SMTP
 * server down, then answering only after 10 s, and the SMS endpoint answering
 * 500, bookings take as long as with healthy providers; once the providers
 * are back every message arrives exactly once. A worker killed mid-batch loses
 * and repeats nothing.
 */
let app: FastifyInstance;
let pool: pg.Pool;
let url: string;
let base: string;
let dose1: number[] = [];
let dose2: number[] = [];
const cleanups: Array<() => Promise<void>> = [];
stopBeforeDrop(async () => {
  for (const c of cleanups.reverse()) { const t0 = Date.now(); await c(); fs.appendFileSync('/tmp/cleanup.log', `${c.toString().slice(0, 60)} ${Date.now() - t0}\n`); }
});

before(async () => {
  ({ pool, url } = await freshDatabase({ poolSize: 10 }));
  const ref = await baseReferenceData(pool);
  await pool.query(`INSERT INTO jurisdiction (name, languages, default_language, time_zone, identifier_scheme)
                    VALUES ('Ontario', ARRAY['en', 'fr'], 'en', 'America/Toronto', 'ontario-health-card')`);
  dose1 = await session(pool, ref, { daysAhead: 3, capacity: 60, slotCount: 12 });
  dose2 = await session(pool, ref, { daysAhead: 31, capacity: 60, slotCount: 12 });
  app = await buildApp({ pool, logLevel: 'silent', publicUrl: 'https://vaccine.example.org/' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  cleanups.push(() => app.close());
});

let n = 0;
/** Books both doses over real HTTP; returns the milliseconds it took. */
async function bookOnce(contact: Record<string, string>): Promise<number> {
  n++;
  const body = {
    slots: [{ dose: 1, slotId: dose1[n % 12]! }, { dose: 2, slotId: dose2[n % 12]! }],
    persons: [{ identifier: withCheckDigits('ontario-health-card', String(800000000 + n)), dateOfBirth: '1966-03-04', givenName: `F${n}`, familyName: 'Failure', ...contact }],
  };
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ms = performance.now() - t0;
  assert.equal(res.status, 201, await res.text());
  return ms;
}

async function phase(count: number, contact: (i: number) => Record<string, string>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await bookOnce(contact(i)));
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p95: times[Math.floor(count * 0.95)]! };
}

const outboxRows = async () => (await pool.query<{ id: number; channel: string; status: string; dedupe_key: string }>(
  `SELECT id::int, channel, status, dedupe_key FROM outbox WHERE channel <> 'letter' ORDER BY id`)).rows;

test('SMTP down, SMTP answering after 10 s, SMS answering 500: bookings keep their latency; after recovery every message arrives exactly once', async (t) => {
  let smtp: SmtpSink = await startSmtpSink();
  const smtpPort = smtp.port;
  const sms: SmsSink = await startSmsSink();
  const providers: Channels = { email: smtpSender(`smtp://127.0.0.1:${smtpPort}`, 'Vaccination <no-reply@vaccine.example.org>', 3_000), sms: webhookSender(sms.url, undefined, 3_000) };
  // In the server's process and pool, as `vaxbook serve` runs it.
  const worker: DeliveryWorker = await startDeliveryWorker({
    pool, channels: providers, pollIntervalMs: 250, rescueEveryMs: 1_000, dispatchEveryMs: 100, onError: () => {},
    // Backoff from 5 s (30 s in production): what a provider outage costs the database is the retries.
    settings: { retry: { maxAttempts: 50, baseMs: 5_000, capMs: 10_000 }, leaseMs: 20_000, reminderHours: 24, breaker: { threshold: 5, coolDownMs: 5_000 }, quietHours: { startHour: 0, endHour: 0 }, countryCode: '1', publicUrl: 'https://vaccine.example.org/' },
  });
  const stop = async () => { await worker.stop(); providers.email.close(); await smtp.close(); await sms.close(); };
  cleanups.push(stop);
  try {
  const contact = (i: number) => ({ email: `person${n + i}@example.org`, mobile: `613555${String(1000 + ((n + i) % 9000)).padStart(4, '0')}` });

  await phase(10, contact); // warm-up: plans, connections
  const healthy = await phase(60, contact);
  await eventually('healthy providers deliver', async () => (await outboxRows()).every((r) => r.status === 'sent'));

  // SMTP server gone (connection refused), SMS provider failing.
  await smtp.close();
  sms.answer = 500;
  const down = await phase(60, contact);
  // An SMTP server that accepts the connection and says nothing for 10 s.
  const silent = await startSilentServer(smtpPort, 10_000);
  const slow = await phase(60, contact);
  await eventually('the worker has tried the silent server', () => silent.connections > 0);
  const waiting = (await outboxRows()).filter((r) => r.status !== 'sent').length;
  t.diagnostic(`booking p50/p95 ms — healthy ${healthy.p50.toFixed(1)}/${healthy.p95.toFixed(1)}, SMTP down + SMS 500 ${down.p50.toFixed(1)}/${down.p95.toFixed(1)}, SMTP silent 10 s + SMS 500 ${slow.p50.toFixed(1)}/${slow.p95.toFixed(1)}; ${waiting} messages waiting`);
  assert.ok(waiting >= 240, `the messages of the outage wait in the outbox (${waiting})`);
  // Unchanged: the median within 50% (+5 ms of timer noise) of the healthy run's.
  for (const [name, p] of [['SMTP down', down], ['SMTP silent', slow]] as const) {
    assert.ok(p.p50 <= healthy.p50 * 1.5 + 5, `${name}: median ${p.p50.toFixed(1)} ms against ${healthy.p50.toFixed(1)} ms healthy`);
  }

  // Providers back.
  await silent.close();
  smtp = await startSmtpSink(smtpPort);
  sms.answer = 'ok';
  await eventually('every message sent after recovery', async () => (await outboxRows()).every((r) => r.status === 'sent'), 90_000);
  const rows = await outboxRows();
  const emails = rows.filter((r) => r.channel === 'email');
  const texts = rows.filter((r) => r.channel === 'sms');
  assert.equal(emails.length, 190);
  assert.equal(texts.length, 190);
  const mailIds = new Set([...smtp.mail.keys()]);
  const outage = emails.slice(70); // the 120 e-mails of the outage, received by the server that came back
  assert.equal(smtp.mail.size, outage.length, 'the returning SMTP server received each outage e-mail once');
  for (const r of outage) assert.ok(mailIds.has(messageIdOf(r.dedupe_key)), `e-mail ${r.dedupe_key} received`);
  assert.equal(smtp.received, outage.length, 'no second copy was even offered');
  assert.equal(sms.sms.size, texts.length, 'every SMS received once');
  assert.equal(sms.received, texts.length, 'no second copy of any SMS');
  for (const r of texts) assert.ok(sms.sms.has(r.dedupe_key), `SMS ${r.dedupe_key} received`);
  } finally {
    await stop(); // the next test runs its own workers
  }
});

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/cli/main.ts'), 'worker'], {
    cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', () => {});
  return child;
}

test('a worker killed in the middle of a batch: after a restart nothing is lost and nothing is sent twice', async (t) => {
  await pool.query(`UPDATE outbox SET status = 'sent', sending_until = NULL WHERE status <> 'sent'`); // the previous test's messages are not this one's
  // 60 e-mails wait in the outbox before any worker runs.
  for (let i = 0; i < 60; i++) await bookOnce({ email: `batch${i}@example.org` });
  const batch = (await outboxRows()).filter((r) => r.status === 'queued');
  assert.equal(batch.length, 60);
  const smtp = await startSmtpSink(0, 150); // 150 ms a message: the batch takes a few seconds
  cleanups.push(() => smtp.close());
  const env = {
    DATABASE_URL: url, VAXBOOK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, VAXBOOK_PROVIDER_TIMEOUT_SECONDS: '1', VAXBOOK_DELIVERY_RETRY_SECONDS: '1',
    VAXBOOK_PUBLIC_URL: 'https://vaccine.example.org/', LOG_LEVEL: 'silent', VAXBOOK_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-worker-')),
  };
  const first = startWorkerProcess(env);
  await eventually('the first worker is sending', () => smtp.mail.size >= 10, 60_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const atKill = (await pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM outbox WHERE id = ANY ($1) GROUP BY status`, [batch.map((b) => b.id)])).rows;
  const inFlight = atKill.find((r) => r.status === 'sending')?.n ?? 0;
  const receivedAtKill = smtp.mail.size;
  assert.ok(receivedAtKill < 60, 'killed before the end of the batch');
  const second = startWorkerProcess(env);
  cleanups.push(async () => { second.kill('SIGTERM'); await new Promise((r) => second.once('exit', r)); });
  await eventually('every message of the batch sent', async () =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY ($1) AND status = 'sent'`, [batch.map((b) => b.id)])).rows[0]!.n === 60, 90_000);
  t.diagnostic(`killed with ${receivedAtKill} of 60 received and ${inFlight} in flight; after the restart ${smtp.mail.size} distinct, ${smtp.received} received, ${smtp.duplicates} copy(ies) dropped by Message-ID`);
  assert.equal(smtp.mail.size, 60, 'each message once at the receiving server');
  for (const r of batch) assert.ok(smtp.mail.has(messageIdOf(r.dedupe_key)), `${r.dedupe_key} received`);
  // A copy can only come from a message whose send was cut by the kill; it carries the same Message-ID.
  assert.ok(smtp.duplicates <= inFlight, `${smtp.duplicates} copies, ${inFlight} in flight at the kill`);
  const attempts = (await pool.query<{ max: number }>(`SELECT max(attempts)::int AS max FROM outbox WHERE id = ANY ($1)`, [batch.map((b) => b.id)])).rows[0]!.max;
  assert.ok(attempts <= 2, 'a message cut by the kill is tried once more, not more');
});
