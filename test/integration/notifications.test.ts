import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';
import { smtpSender } from '../../src/notifications/channels/email.js';
import { twilioSender, webhookSender } from '../../src/notifications/channels/sms.js';
import { deliverMessage, type Channels, type DeliverySettings } from '../../src/notifications/delivery.js';
import { smsSegments } from '../../src/notifications/templates.js';
import { startDeliveryWorker, type DeliveryWorker } from '../../src/notifications/worker.js';
import { queueReminders } from '../../src/db/repositories/outbox-repository.js';
import { baseReferenceData, session } from '../helpers/fixtures.js';
import { freshDatabase, stopBeforeDrop } from '../helpers/db.js';
import { eventually, startSmsSink, startSmtpSink, type SmsSink, type SmtpSink } from '../helpers/providers.js';

/**
 * Every message reaches a real SMTP server, a local SMS endpoint or the
 * region's print batch, in the person's language; an administrator sees each
 * one's status and sends dead ones again.
 */
const ADMIN = 'notifications-admin-token-0123456789';
const PUBLIC_URL = 'https://vaccine.example.org/';
let app: FastifyInstance;
let pool: pg.Pool;
let smtp: SmtpSink;
let sms: SmsSink;
let worker: DeliveryWorker;
let ref: { regionId: number; clinicId: number; productId: number };
let dose1: number[] = [];
let dose2: number[] = [];
let later: number[] = [];
const errors: unknown[] = [];

const settings: DeliverySettings = {
  retry: { maxAttempts: 3, baseMs: 100, capMs: 400 }, leaseMs: 5_000, reminderHours: 24,
  // Tests run at any hour: quiet hours have their own test below.
  quietHours: { startHour: 0, endHour: 0 }, countryCode: '1', publicUrl: PUBLIC_URL,
};
let providers: Channels;

before(async () => {
  ({ pool } = await freshDatabase());
  ref = await baseReferenceData(pool);
  await pool.query(`INSERT INTO jurisdiction (name, languages, default_language, time_zone, identifier_scheme)
                    VALUES ('Ontario', ARRAY['en', 'fr'], 'en', 'America/Toronto', 'ontario-health-card')`);
  dose1 = await session(pool, ref, { daysAhead: 3, capacity: 5, slotCount: 6 });
  dose2 = await session(pool, ref, { daysAhead: 31, capacity: 5, slotCount: 6 });
  later = await session(pool, ref, { daysAhead: 5, capacity: 5, slotCount: 6 });
  smtp = await startSmtpSink();
  sms = await startSmsSink();
  providers = { email: smtpSender(`smtp://127.0.0.1:${smtp.port}`, 'Vaccination <no-reply@vaccine.example.org>', 2_000), sms: webhookSender(sms.url, undefined, 2_000) };
  worker = await startDeliveryWorker({ pool, channels: providers, settings, pollIntervalMs: 200, rescueEveryMs: 500, dispatchEveryMs: 100, onError: (e) => errors.push(e) });
  app = await buildApp({ pool, logLevel: process.env.TEST_LOG ? 'error' : 'silent', adminToken: ADMIN, publicUrl: PUBLIC_URL });
});
// Before the database goes: the worker keeps a connection.
stopBeforeDrop(async () => {
  await worker.stop();
  providers.email.close();
  await app.close();
  await smtp.close();
  await sms.close();
});

const admin = { authorization: `Bearer ${ADMIN}` };
let n = 0;
function person(extra: Record<string, unknown>) {
  n++;
  return { identifier: withCheckDigits('ontario-health-card', String(700000000 + n)), dateOfBirth: '1975-06-0' + ((n % 9) + 1), givenName: `Given${n}`, familyName: 'Notify', ...extra };
}
async function book(persons: unknown[], slots: Array<{ dose: number; slotId: number }>) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots, persons } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { confirmationCode: string };
}
/** A two-dose booking on a day no test cancels. */
let pairs = 0;
const bookPair = (extra: Record<string, unknown>) => { pairs++; return book([person(extra)], [{ dose: 1, slotId: later[pairs % 6]! }, { dose: 2, slotId: dose2[pairs % 6]! }]); };
const outboxOf = async (code: string) => (await pool.query<{ id: number; kind: string; channel: string; status: string; dedupe_key: string }>(
  `SELECT o.id::int, o.kind, o.channel, o.status, o.dedupe_key FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.confirmation_code = $1 ORDER BY o.id`, [code])).rows;
const mailFor = (code: string) => [...smtp.mail.values()].filter((m) => m.text?.includes(code));
const smsFor = (code: string) => [...sms.sms.values()].filter((m) => m.text.includes(code));

test('a two-dose booking: an e-mail with both doses and an .ics, and an SMS of one segment, each sent once', async () => {
  const { confirmationCode: code } = await book([person({ email: 'ada@example.org', mobile: '613 555 0101' })], [{ dose: 1, slotId: dose1[0]! }, { dose: 2, slotId: dose2[0]! }]);
  await eventually('confirmation e-mail and SMS', () => mailFor(code).length === 1 && smsFor(code).length === 1);
  // The provider has it before the worker has recorded its answer.
  await eventually('both marked sent', async () => (await outboxOf(code)).every((r) => r.status === 'sent'));
  const [mail] = mailFor(code);
  assert.equal(mail!.subject, 'Your vaccination appointments are booked');
  assert.equal((mail!.to as { text: string }).text, 'ada@example.org');
  assert.match(mail!.text!, /dose 1 \(Test mRNA\).*Test Clinic/);
  assert.match(mail!.text!, /dose 2 \(Test mRNA\).*Test Clinic/);
  assert.ok(mail!.text!.includes(`https://vaccine.example.org/manage?code=${code}`), 'a link to manage the booking');
  assert.ok(mail!.html && (mail!.html as string).includes(code), 'an HTML part');
  const ics = mail!.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  assert.ok(ics, 'an .ics attachment');
  const cal = ics.content.toString();
  assert.equal(cal.match(/BEGIN:VEVENT/g)?.length, 2, 'one event per dose');
  assert.match(cal, /METHOD:REQUEST/);
  const [text] = smsFor(code);
  assert.equal(text!.to, '+16135550101', 'the number in E.164');
  assert.equal(smsSegments(text!.text), 1);
  const rows = await outboxOf(code);
  assert.deepEqual(rows.map((r) => [r.kind, r.channel, r.status]), [['booking_confirmation', 'email', 'sent'], ['booking_confirmation', 'sms', 'sent']]);
  assert.equal(mail!.messageId, `<${rows[0]!.dedupe_key.replace(/[^\w.-]/g, '.')}@vaxbook>`, 'the Message-ID is the outbox key');
  // The call centre sees what was sent ("I never got my confirmation").
  const personId = (await pool.query<{ id: number }>(`SELECT id::int FROM persons WHERE email = 'ada@example.org'`)).rows[0]!.id;
  const record = await app.inject({ method: 'GET', url: `/api/v1/staff/persons/${personId}?reason=caller%20asks%20about%20her%20e-mail`, headers: admin });
  assert.equal(record.statusCode, 200, record.body);
  assert.deepEqual(record.json().bookings[0].messages.map((m: { kind: string; channel: string; status: string }) => `${m.kind} ${m.channel} ${m.status}`),
    ['booking_confirmation email sent', 'booking_confirmation sms sent']);
});

test('French: the person’s language chooses the words; a move and a cancellation are said as such, with the calendar updated', async () => {
  const { confirmationCode: code } = await book([person({ email: 'beatrice@example.org', language: 'fr' })], [{ dose: 1, slotId: dose1[1]! }, { dose: 2, slotId: dose2[1]! }]);
  await eventually('confirmation', () => mailFor(code).length === 1);
  assert.equal(mailFor(code)[0]!.subject, 'Vos rendez-vous de vaccination sont pris');
  assert.match(mailFor(code)[0]!.text!, /^Bonjour Given\d+,/);
  assert.equal(smsFor(code).length, 0, 'no mobile, no SMS');
  const dob = (await pool.query<{ d: string }>(`SELECT p.date_of_birth::text AS d FROM bookings b JOIN persons p ON p.id = b.person_id WHERE b.confirmation_code = $1`, [code])).rows[0]!.d;
  const moved = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: { confirmationCode: code, dateOfBirth: dob, dose: 2, slotId: dose2[2]! } });
  assert.equal(moved.statusCode, 200, moved.body);
  await eventually('the move', () => mailFor(code).length === 2);
  const move = mailFor(code).find((m) => m.subject === 'Votre rendez-vous de vaccination a changé');
  assert.ok(move, 'the move is announced in French');
  assert.match(move.text!, /Nouvel horaire :\n• Given\d+, dose 2/);
  assert.match(move.text!, /Avant\u00a0: Given\d+, dose 2/);
  const cancelled = await app.inject({ method: 'POST', url: '/api/v1/bookings/cancel', payload: { confirmationCode: code, dateOfBirth: dob } });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  await eventually('the cancellation', () => mailFor(code).length === 3);
  const cancel = mailFor(code).find((m) => m.subject === 'Votre rendez-vous de vaccination est annulé')!;
  assert.equal((cancel.text!.match(/^• /gm) ?? []).length, 2, 'one message for both doses');
  const ics = cancel.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString();
  assert.match(ics, /METHOD:CANCEL/);
  assert.deepEqual((await outboxOf(code)).map((r) => r.kind), ['booking_confirmation', 'reschedule', 'cancellation']);
});

test('a cancelled clinic day: the message gives the reason and the time offered instead', async () => {
  const { confirmationCode: code } = await book([person({ email: 'cyril@example.org' })], [{ dose: 1, slotId: dose1[2]! }, { dose: 2, slotId: dose2[3]! }]);
  const spare = await session(pool, ref, { daysAhead: 4, capacity: 5, slotCount: 3 });
  assert.ok(spare.length);
  const day = (await pool.query<{ day: string }>(`SELECT cd.day::text FROM slots s JOIN clinic_days cd ON cd.id = s.clinic_day_id WHERE s.id = $1`, [dose1[2]])).rows[0]!.day;
  const r = await app.inject({ method: 'POST', url: `/api/v1/staff/clinics/${ref.clinicId}/days/cancel`, headers: admin, payload: { from: day, reason: 'No vaccine delivered', rebook: 'offer' } });
  assert.equal(r.statusCode, 200, r.body);
  await eventually('the clinic-day message', () => mailFor(code).some((m) => m.subject === 'Your vaccination clinic is closed that day'));
  const mail = mailFor(code).find((m) => m.subject === 'Your vaccination clinic is closed that day')!;
  assert.match(mail.text!, /No vaccine delivered/);
  assert.match(mail.text!, /Time offered instead:\n• Given\d+, dose 1 .*Test Clinic/);
});

test('reminders: 24 hours ahead, once per booking and day, not for appointments booked inside that window', async () => {
  const soon = await session(pool, ref, { daysAhead: 1, capacity: 5, slotCount: 2 });
  // Second doses, the first one had elsewhere six weeks ago.
  const had = { previousDoses: [{ date: new Date(Date.now() - 42 * 86_400_000).toISOString().slice(0, 10), product: 'test-mrna' }] };
  const { confirmationCode: early } = await book([person({ email: 'dora@example.org', mobile: '+1 613 555 0104', ...had })], [{ dose: 2, slotId: soon[0]! }]);
  const { confirmationCode: late } = await book([person({ email: 'eli@example.org', ...had })], [{ dose: 2, slotId: soon[1]! }]);
  // The first was booked a week ago; the second just now, inside the window.
  await pool.query(`UPDATE appointments a SET created_at = a.created_at - interval '7 days' FROM bookings b WHERE b.id = a.booking_id AND b.confirmation_code = $1`, [early]);
  // Tomorrow's 09:00 in Toronto is within 24 h only after 09:00 today there: look far enough ahead whatever the hour.
  const queued = await queueReminders(pool, 48);
  assert.equal(queued, 1, 'the early booking only');
  assert.deepEqual((await outboxOf(early)).filter((r) => r.kind === 'reminder').map((r) => r.channel), ['email', 'sms']);
  assert.equal(await queueReminders(pool, 48), 0, 'once');
  await eventually('reminders', () => mailFor(early).some((m) => m.subject === 'Reminder: your vaccination appointment') && smsFor(early).some((s) => s.text.startsWith('Reminder:')));
  assert.ok(!(await outboxOf(late)).some((r) => r.kind === 'reminder'));
});

test('no e-mail, no mobile: a letter in the region’s print batch — PDF one page each, address in the window, and a CSV manifest', async (t) => {
  const { confirmationCode: code } = await bookPair({ language: 'fr', address: { line: '12 rue Principale', city: 'Ottawa', postalCode: 'K1A 0B1' } });
  const { confirmationCode: code2 } = await bookPair({ address: { line: '3 King Street', city: 'Toronto', postalCode: 'M5V 1A1' } });
  assert.deepEqual((await outboxOf(code)).map((r) => [r.channel, r.status]), [['letter', 'queued']], 'a letter, waiting for the batch');
  const made = await app.inject({ method: 'POST', url: '/api/v1/staff/letter-batches', headers: admin, payload: { region: 'TST' } });
  assert.equal(made.statusCode, 201, made.body);
  const [batch] = made.json().batches;
  assert.equal(batch.letters, 2);
  assert.deepEqual((await outboxOf(code)).map((r) => r.status), ['sent']);
  const again = await app.inject({ method: 'POST', url: '/api/v1/staff/letter-batches', headers: admin, payload: { region: 'TST' } });
  assert.deepEqual(again.json().batches, [], 'a letter is in one batch only');
  const csv = await app.inject({ method: 'GET', url: `/api/v1/staff/letter-batches/${batch.id}/manifest.csv`, headers: admin });
  assert.equal(csv.statusCode, 200);
  const lines = csv.body.trim().split('\n');
  assert.equal(lines[0], 'batch_id,page,message_id,kind,language,name,address_line,city,postal_code,code');
  assert.equal(lines.length, 3);
  assert.ok(lines[1]!.includes(code) && lines[1]!.includes('12 rue Principale') && lines[1]!.includes(',fr,'));
  const pdf = await app.inject({ method: 'GET', url: `/api/v1/staff/letter-batches/${batch.id}/letters.pdf`, headers: admin });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  if (!which('pdftotext')) return t.skip('pdftotext (poppler-utils) is not installed: .ci/run installs it');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letters-')), 'batch.pdf');
  fs.writeFileSync(file, pdf.rawPayload);
  const info = execFileSync('pdfinfo', [file]).toString();
  assert.match(info, /Pages:\s+2\n/, 'one letter a page');
  const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-']).toString();
  assert.ok(page1.includes(code) && page1.includes('Bonjour') && page1.includes('12 rue Principale'), 'the French letter with its code and address');
  assert.ok(!page1.includes(code2));
  // The address block sits in the #10 window: 63–387 pt across, 144–225 pt down.
  const window = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-x', '63', '-y', '144', '-W', '324', '-H', '81', file, '-']).toString();
  assert.ok(window.includes('12 rue Principale') && window.includes('K1A 0B1'), `the window shows the address: ${window}`);
});

test('invitations to named people: each gets a code and a message on their channels, in their language', async () => {
  const batch = await pool.query<{ id: number }>(`INSERT INTO invitation_batches (region_id, cohort_id, size, expires_at, created_by) VALUES ($1, 'all', 3, now() + interval '30 days', 'test') RETURNING id`, [ref.regionId]);
  const id = batch.rows[0]!.id;
  await pool.query(`INSERT INTO invitation_codes (code, batch_id) VALUES ('INVT-AAAA-01', $1), ('INVT-AAAA-02', $1), ('INVT-AAAA-03', $1)`, [id]);
  const tooMany = await app.inject({ method: 'POST', url: `/api/v1/admin/invitation-batches/${id}/recipients`, headers: admin,
    payload: { recipients: Array.from({ length: 4 }, (_, i) => ({ givenName: `I${i}`, familyName: 'Vite', language: 'en', email: `i${i}@example.org` })) } });
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json().field, 'recipients');
  const noContact = await app.inject({ method: 'POST', url: `/api/v1/admin/invitation-batches/${id}/recipients`, headers: admin,
    payload: { recipients: [{ givenName: 'Nobody', familyName: 'Reachable', language: 'en' }] } });
  assert.equal(noContact.statusCode, 400);
  assert.equal(noContact.json().field, 'recipients[0]');
  const sent = await app.inject({ method: 'POST', url: `/api/v1/admin/invitation-batches/${id}/recipients`, headers: admin,
    payload: { recipients: [{ givenName: 'Fanny', familyName: 'Vite', language: 'fr', email: 'fanny@example.org', mobile: '613-555-0106' }] } });
  assert.equal(sent.statusCode, 201, sent.body);
  const [code] = sent.json().codes;
  await eventually('the invitation', () => mailFor(code).length === 1 && smsFor(code).length === 1);
  assert.equal(mailFor(code)[0]!.subject, 'Vous êtes invité à prendre rendez-vous pour votre vaccination');
  assert.ok(mailFor(code)[0]!.text!.includes(`https://vaccine.example.org/?invitation=${code}`));
  assert.ok(smsFor(code)[0]!.text.startsWith('Ontario: vous pouvez'));
});

test('quiet hours: an SMS due at 22:30 in the clinic’s zone waits for 08:00, without using an attempt', async () => {
  // The worker is stopped so that this message is delivered by hand, with a clock at 22:30.
  await worker.stop();
  try {
    const { confirmationCode: code } = await bookPair({ mobile: '613 555 0107' });
    const row = (await outboxOf(code))[0]!;
    const night = new Date(Date.now() + 30 * 86_400_000);
    night.setUTCHours(3, 30, 0, 0); // 22:30 or 23:30 in Toronto, whatever the season
    const outcome = await deliverMessage(pool, providers, { ...settings, quietHours: { startHour: 21, endHour: 8 } }, row.id, () => night);
    assert.equal(outcome, 'deferred');
    const held = (await pool.query<{ status: string; attempts: number; next: Date; due: Date }>(`SELECT status, attempts, next_attempt_at AS next, due_since AS due FROM outbox WHERE id = $1`, [row.id])).rows[0]!;
    assert.equal(held.status, 'queued');
    assert.equal(held.attempts, 0);
    assert.equal(held.due.getTime(), held.next.getTime(), 'held on purpose: not due, so not late, before 08:00 (service status)');
    assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).format(held.next), '08:00');
    assert.ok(held.next.getTime() - night.getTime() < 12 * 3_600_000, 'the next morning');
    assert.equal(smsFor(code).length, 0);
  } finally {
    worker = await startDeliveryWorker({ pool, channels: providers, settings, pollIntervalMs: 200, rescueEveryMs: 500, dispatchEveryMs: 100, onError: (e) => errors.push(e) });
  }
});

test('STOP: the number opts out and its queued SMS are not sent', async () => {
  const stop = await app.inject({ method: 'POST', url: '/api/v1/sms/replies', payload: { from: '+16135550108', text: 'Stop' } });
  assert.equal(stop.statusCode, 200);
  assert.equal(stop.json().optedOut, true);
  const other = await app.inject({ method: 'POST', url: '/api/v1/sms/replies', payload: { from: '+16135550108', text: 'merci' } });
  assert.equal(other.json().optedOut, false);
  const bad = await app.inject({ method: 'POST', url: '/api/v1/sms/replies', payload: { from: 'abc', text: 'STOP' } });
  assert.equal(bad.statusCode, 400);
  const { confirmationCode: code } = await bookPair({ email: 'gus@example.org', mobile: '(613) 555-0108' });
  await eventually('e-mail sent, SMS suppressed', async () => (await outboxOf(code)).map((r) => r.status).join() === 'sent,suppressed');
  assert.equal(smsFor(code).length, 0);
});

test('administrators see every message’s status, and send dead ones again', async () => {
  // The SMS provider refuses for good (400): dead at once, reason kept without the number.
  sms.answer = 400;
  const { confirmationCode: code } = await bookPair({ mobile: '613 555 0109' });
  await eventually('dead letter', async () => (await outboxOf(code))[0]?.status === 'dead');
  const list = await app.inject({ method: 'GET', url: `/api/v1/staff/messages?status=dead&confirmationCode=${code}`, headers: admin });
  assert.equal(list.statusCode, 200, list.body);
  const [dead] = list.json().messages;
  assert.equal(dead.channel, 'sms');
  assert.equal(dead.attempts, 1, 'a permanent refusal is not retried');
  assert.match(dead.lastError, /answered 400/);
  assert.ok(!JSON.stringify(list.json()).includes('555'), 'no phone number in what administrators see');
  const summary = await app.inject({ method: 'GET', url: '/api/v1/staff/messages/summary', headers: admin });
  assert.ok(summary.json().counts.some((c: { channel: string; status: string; count: number }) => c.channel === 'sms' && c.status === 'dead' && c.count >= 1));
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /vaxbook_messages\{channel="sms",status="dead"\} 1\n/, 'dead letters are a metric to alert on');
  assert.match(metrics.body, /vaxbook_messages_oldest_waiting_seconds \d/);
  sms.answer = 'ok';
  const retried = await app.inject({ method: 'POST', url: `/api/v1/staff/messages/${dead.id}/retry`, headers: admin });
  assert.equal(retried.statusCode, 200, retried.body);
  await eventually('sent after the retry', () => smsFor(code).length === 1);
  const notAgain = await app.inject({ method: 'POST', url: `/api/v1/staff/messages/${dead.id}/retry`, headers: admin });
  assert.equal(notAgain.statusCode, 409, 'a sent message is not sent twice');
  // The provider failing for a while (500s): retried with backoff, dead after 3 attempts, all sent again with one request.
  sms.answer = 500;
  const { confirmationCode: code2 } = await bookPair({ mobile: '613 555 0110' });
  await eventually('dead after 3 attempts', async () => (await outboxOf(code2))[0]?.status === 'dead');
  assert.equal((await pool.query<{ attempts: number }>(`SELECT attempts FROM outbox WHERE id = $1`, [(await outboxOf(code2))[0]!.id])).rows[0]!.attempts, 3);
  sms.answer = 'ok';
  const all = await app.inject({ method: 'POST', url: '/api/v1/staff/messages/retry-dead', headers: admin, payload: { region: 'TST' } });
  assert.equal(all.statusCode, 200);
  assert.ok(all.json().retried.length >= 1);
  await eventually('sent after retry-dead', () => smsFor(code2).length === 1);
  assert.equal(sms.duplicates, 0);
  assert.equal(smtp.duplicates, 0);
  assert.deepEqual(errors, [], 'the worker reported no error');
});

test('the Twilio adapter speaks Twilio’s Messages API: form fields, basic auth, the sid kept', async () => {
  sms.answer = 'ok';
  const sender = twilioSender(`http://127.0.0.1:${sms.port}`, 'AC123', 'secret', '+15005550006', 2_000);
  const ref = await sender.send({ to: '+16135550111', text: 'Hello', key: 'k1' });
  assert.equal(ref, 'SM1');
  const [req] = sms.twilio;
  assert.equal(req!.path, '/2010-04-01/Accounts/AC123/Messages.json');
  assert.equal(req!.auth, `Basic ${Buffer.from('AC123:secret').toString('base64')}`);
  assert.deepEqual(Object.fromEntries(req!.form), { To: '+16135550111', From: '+15005550006', Body: 'Hello' });
});

function which(cmd: string): boolean {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
