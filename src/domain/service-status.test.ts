import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelStatus, overallStatus, type ChannelFacts } from './service-status.js';

const now = new Date('2026-12-02T14:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const quiet: ChannelFacts = { waiting: 0, retrying: 0, oldestDueAt: null, oldestRetryingSince: null };

test('a channel with nothing overdue is operational, however many messages are held for later (SMS at night)', () => {
  assert.deepEqual(channelStatus('sms', quiet, now), { status: 'operational', waiting: 0, delayMinutes: 0 });
  assert.equal(channelStatus('sms', { ...quiet, waiting: 4000 }, now).status, 'operational');
  assert.equal(channelStatus('email', { ...quiet, waiting: 12, oldestDueAt: ago(4) }, now).status, 'operational');
});

test('e-mail and SMS are delayed after 5 minutes overdue or with many retries, disrupted after 30', () => {
  assert.deepEqual(channelStatus('email', { ...quiet, waiting: 30, oldestDueAt: ago(5) }, now), { status: 'delayed', waiting: 30, delayMinutes: 5 });
  assert.equal(channelStatus('sms', { ...quiet, waiting: 5, retrying: 5, oldestRetryingSince: ago(2) }, now).status, 'delayed');
  assert.equal(channelStatus('sms', { ...quiet, waiting: 1, retrying: 1, oldestRetryingSince: ago(2) }, now).status, 'operational', 'one bad number is not an outage');
  assert.equal(channelStatus('sms', { ...quiet, waiting: 1, retrying: 1, oldestRetryingSince: ago(31) }, now).status, 'disrupted');
  assert.equal(channelStatus('email', { ...quiet, waiting: 900, oldestDueAt: ago(45) }, now).status, 'disrupted');
});

test('letters wait for the daily print batch: late only after 26 hours', () => {
  assert.equal(channelStatus('letter', { ...quiet, waiting: 80, oldestDueAt: ago(20 * 60) }, now).status, 'operational');
  assert.equal(channelStatus('letter', { ...quiet, waiting: 80, oldestDueAt: ago(27 * 60) }, now).status, 'delayed');
  assert.equal(channelStatus('letter', { ...quiet, waiting: 80, oldestDueAt: ago(51 * 60) }, now).status, 'disrupted');
});

test('the whole service is as well as its worst part', () => {
  assert.equal(overallStatus([]), 'operational');
  assert.equal(overallStatus(['operational', 'operational']), 'operational');
  assert.equal(overallStatus(['operational', 'unknown']), 'unknown');
  assert.equal(overallStatus(['delayed', 'unknown', 'operational']), 'delayed');
  assert.equal(overallStatus(['delayed', 'disrupted']), 'disrupted');
});
