/**
 * The delivery worker, on graphile-worker: a job per message, added in
 * batches from the outbox rows a change wrote (every `dispatchEveryMs`; the
 * bulk add NOTIFYs the workers, SKIP LOCKED shares the jobs between them),
 * reminders and the daily letter batches from its cron (one run per slot
 * across every worker, in the server's time zone), and a rescue of messages
 * whose worker died mid-send. In-process by default; a separate process with
 * `vaxbook worker`.
 */
import { Logger, run, type Runner } from 'graphile-worker';
import type pg from 'pg';
import { dispatchNew, queueReminders, rescue } from '../db/repositories/outbox-repository.js';
import { createLetterBatches } from '../services/message-service.js';
import { every } from '../worker/every.js';
import { deliverMessage, newBreakers, type Channels, type DeliverySettings } from './delivery.js';

export interface DeliveryWorkerOptions {
  pool: pg.Pool;
  channels: Channels;
  settings: DeliverySettings;
  /** Messages sent at once by this worker. */
  concurrency?: number;
  /** How often to look for retries that came due (LISTEN covers new messages). */
  pollIntervalMs?: number;
  /** How often to look for messages lost by a dead worker. */
  rescueEveryMs?: number;
  /** How often to look for new messages to give jobs to (the longest a new message waits before it is picked up). */
  dispatchEveryMs?: number;
  onError: (err: unknown, what: string) => void;
}

export interface DeliveryWorker {
  stop(): Promise<void>;
}

export async function startDeliveryWorker(o: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  // Job-queue chatter stays out of our logs; its errors are reported.
  const logger = new Logger(() => (level, message) => { if (level === 'error') o.onError(new Error(message), 'job queue'); });
  const breakers = newBreakers();
  const runner: Runner = await run({
    pgPool: o.pool, concurrency: o.concurrency ?? 4, pollInterval: o.pollIntervalMs ?? 1_000, noHandleSignals: true, logger,
    taskList: {
      deliver_message: async (payload) => { await deliverMessage(o.pool, o.channels, o.settings, Number((payload as { id: number }).id), undefined, undefined, breakers); },
      queue_reminders: async () => { await queueReminders(o.pool, o.settings.reminderHours); },
      // The print house collects every morning: one batch per region with letters waiting.
      batch_letters: async () => { await createLetterBatches(o.pool, 'all', 'daily letter batch'); },
    },
    crontab: '*/5 * * * * queue_reminders ?fill=1h\n0 6 * * * batch_letters ?fill=1d',
  });
  const timers = [
    every(o.rescueEveryMs ?? Math.min(30_000, o.settings.leaseMs / 2), () => rescue(o.pool, o.settings.leaseMs), (err) => o.onError(err, 'message rescue'), true),
    // A launch-day burst is taken 1,000 at a time until none is left.
    every(o.dispatchEveryMs ?? 500, async () => { while ((await dispatchNew(o.pool, 1_000)) === 1_000); }, (err) => o.onError(err, 'message dispatch'), true),
  ];
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      timers.forEach(clearInterval);
      // Waits for the messages being sent; a second call waits for the same.
      return stopped ??= runner.stop();
    },
  };
}
