import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, isStopReply, retryDelayMs, smsSendableAt, toE164, zonedInstant } from './delivery-policy.js';

const policy = { maxAttempts: 5, baseMs: 1000, capMs: 10_000 };

test('retries back off exponentially, capped, with half of each wait random', () => {
  assert.equal(retryDelayMs(policy, 1, 0), 500);
  assert.equal(retryDelayMs(policy, 1, 1), 1000);
  assert.equal(retryDelayMs(policy, 2, 0), 1000);
  assert.equal(retryDelayMs(policy, 3, 1), 4000);
  assert.equal(retryDelayMs(policy, 4, 0.5), 6000);
  assert.equal(retryDelayMs(policy, 30, 1), 10_000, 'never beyond the cap');
  assert.equal(retryDelayMs(policy, 30, 0), 5000);
  // Messages failing together spread over half the window.
  const spread = new Set(Array.from({ length: 50 }, (_, i) => retryDelayMs(policy, 3, i / 49)));
  assert.ok(spread.size > 40);
});

test('a failure is retried until the attempts are used up, or dead at once when the provider refused for good', () => {
  assert.deepEqual(afterFailure(policy, 1, false, 0), { status: 'failed', retryInMs: 500 });
  assert.deepEqual(afterFailure(policy, 4, false, 1), { status: 'failed', retryInMs: 8000 });
  assert.deepEqual(afterFailure(policy, 5, false, 0), { status: 'dead' });
  assert.deepEqual(afterFailure(policy, 1, true, 0), { status: 'dead' });
});

test('no SMS between 21:00 and 08:00 in the recipient’s time zone: it waits for 08:00', () => {
  const tz = 'America/Toronto';
  // 22:30 on 15 Jan in Toronto (UTC-5) = 03:30 UTC on the 16th: next morning 08:00 = 13:00 UTC.
  assert.equal(smsSendableAt(new Date('2022-01-16T03:30:00Z'), tz).toISOString(), '2022-01-16T13:00:00.000Z');
  // 06:15 local: same morning.
  assert.equal(smsSendableAt(new Date('2022-01-16T11:15:00Z'), tz).toISOString(), '2022-01-16T13:00:00.000Z');
  // 21:00 exactly is quiet, 20:59 and 08:00 are not.
  assert.equal(smsSendableAt(new Date('2022-01-16T02:00:00Z'), tz).toISOString(), '2022-01-16T13:00:00.000Z');
  const evening = new Date('2022-01-16T01:59:00Z');
  assert.equal(smsSendableAt(evening, tz), evening);
  const eight = new Date('2022-01-16T13:00:00Z');
  assert.equal(smsSendableAt(eight, tz), eight);
  // Paris (UTC+1 in winter): 23:00 local = 22:00 UTC → 07:00 UTC.
  assert.equal(smsSendableAt(new Date('2022-01-15T22:00:00Z'), 'Europe/Paris').toISOString(), '2022-01-16T07:00:00.000Z');
  // The night clocks spring forward (13 March 2022 in Toronto): 08:00 is then UTC-4.
  assert.equal(smsSendableAt(new Date('2022-03-13T05:00:00Z'), tz).toISOString(), '2022-03-13T12:00:00.000Z');
  // Quiet hours of 0–0: none.
  const night = new Date('2022-01-16T03:30:00Z');
  assert.equal(smsSendableAt(night, tz, { startHour: 0, endHour: 0 }), night);
});

test('zonedInstant finds the instant of a wall-clock hour across offsets', () => {
  assert.equal(zonedInstant('America/Toronto', 2022, 7, 1, 8).toISOString(), '2022-07-01T12:00:00.000Z');
  assert.equal(zonedInstant('Asia/Kolkata', 2022, 7, 1, 8).toISOString(), '2022-07-01T02:30:00.000Z');
});

test('mobile numbers are written in E.164 for providers', () => {
  assert.equal(toE164('613 555 0101', '1'), '+16135550101');
  assert.equal(toE164('1 (613) 555-0101', '1'), '+16135550101');
  assert.equal(toE164('+32 470 12 34 56', '1'), '+32470123456');
  assert.equal(toE164('0470 12 34 56', '32'), '+32470123456');
  assert.equal(toE164('0032 470 12 34 56', '1'), '+32470123456');
  assert.equal(toE164('12', '1'), null);
  assert.equal(toE164('+0 123 456 789', '1'), null);
});

test('the breaker opens after failures in a row, lets one probe through after the cool-down, and closes on a success', async () => {
  const { breakerAfter, breakerWait, closedBreaker } = await import('./delivery-policy.js');
  const policy = { threshold: 3, coolDownMs: 1000 };
  let b = closedBreaker();
  b = breakerAfter(b, policy, false, 0);
  b = breakerAfter(b, policy, false, 10);
  assert.equal(breakerWait(b, 20), null, 'two failures: still closed');
  b = breakerAfter(b, policy, true, 20);
  assert.equal(b.failures, 0, 'a success resets the count');
  for (const t of [30, 40, 50]) b = breakerAfter(b, policy, false, t);
  assert.equal(breakerWait(b, 60), 1050, 'open: wait until the cool-down ends');
  assert.equal(breakerWait(b, 1050), null, 'then a probe may go');
  b = breakerAfter(b, policy, false, 1100);
  assert.equal(breakerWait(b, 1200), 2100, 'a failed probe opens it again');
  assert.equal(breakerWait(breakerAfter(b, policy, true, 2200), 2201), null);
});

test('STOP, in either language and any case, opts out; other replies do not', () => {
  for (const t of ['STOP', ' stop please', 'Arrêt', 'ARRET', 'unsubscribe']) assert.ok(isStopReply(t), t);
  for (const t of ['merci', 'Stopover in Ottawa?', 'please stop', '']) assert.ok(!isStopReply(t), t);
});
