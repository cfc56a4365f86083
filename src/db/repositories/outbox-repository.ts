import type pg from 'pg';
import type { Channel } from '../../domain/service-status.js';
import { withTransaction } from '../transaction.js';

type Db = pg.Pool | pg.PoolClient;

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead' | 'suppressed';

export interface ClaimedMessage {
  id: number;
  kind: string;
  channel: Channel;
  dedupe_key: string;
  attempts: number;
  booking_id: number | null;
  invitation_code: string | null;
  payload: { appointments?: number[]; reason?: string; offers?: Record<string, { startsAt: string; clinicId: number }> };
}

/**
 * Takes a due message for sending, in one conditional update: of two workers
 * (or a job and its rescue) only one gets it. The lease says when it may be
 * presumed lost if the worker dies before saying how it went.
 */
export async function claim(db: Db, id: number, leaseMs: number): Promise<ClaimedMessage | null> {
  const r = await db.query<ClaimedMessage>(
    `UPDATE outbox SET status = 'sending', attempts = attempts + 1, sending_until = now() + $2 * interval '1 millisecond'
     WHERE id = $1 AND status IN ('queued', 'failed') AND next_attempt_at <= now()
     RETURNING id::int, kind, channel, dedupe_key, attempts, booking_id::int, invitation_code, payload`, [id, leaseMs]);
  return r.rows[0] ?? null;
}

export interface Recipient {
  language: string;
  given_name: string;
  family_name: string;
  email: string | null;
  mobile: string | null;
  address_line: string | null;
  city: string | null;
  postal_code: string | null;
  code: string;
  booked_at: Date | null;
  expires_at: Date | null;
  jurisdiction: string;
  default_time_zone: string;
  region_name: string | null;
}

/** Who the message is for: the person who booked, or the invitation's addressee, with the code they will need. */
export async function recipientOf(db: Db, id: number): Promise<Recipient | null> {
  const r = await db.query<Recipient>(
    `SELECT coalesce(p.language, ir.language) AS language, coalesce(p.given_name, ir.given_name) AS given_name,
            coalesce(p.family_name, ir.family_name) AS family_name, coalesce(p.email, ir.email) AS email,
            coalesce(p.mobile, ir.mobile) AS mobile, coalesce(p.address_line, ir.address_line) AS address_line,
            coalesce(p.city, ir.city) AS city, coalesce(p.postal_code, ir.postal_code) AS postal_code,
            coalesce(b.confirmation_code, o.invitation_code) AS code, b.created_at AS booked_at, ib.expires_at,
            coalesce(j.name, 'vaxbook') AS jurisdiction, coalesce(j.time_zone, 'UTC') AS default_time_zone, reg.name AS region_name
     FROM outbox o
     LEFT JOIN jurisdiction j ON true
     LEFT JOIN bookings b ON b.id = o.booking_id
     LEFT JOIN persons p ON p.id = b.person_id
     LEFT JOIN invitation_recipients ir ON ir.code = o.invitation_code
     LEFT JOIN invitation_codes ic ON ic.code = o.invitation_code
     LEFT JOIN invitation_batches ib ON ib.id = ic.batch_id
     LEFT JOIN regions reg ON reg.id = o.region_id
     WHERE o.id = $1`, [id]);
  return r.rows[0] ?? null;
}

export interface AppointmentRow {
  id: number;
  person_id: number;
  dose_number: number;
  starts_at: Date;
  status: string;
  created_at: Date;
  given_name: string;
  clinic_name: string;
  address: string;
  time_zone: string;
  product: string;
}

const APPOINTMENT_COLUMNS = `a.id::int, a.person_id::int, a.dose_number, a.starts_at, a.status, a.created_at, per.given_name,
  c.name AS clinic_name, c.street || ', ' || c.city || ' ' || c.postal_code AS address, c.time_zone, pr.name AS product`;

/** Every appointment of a booking, oldest first. */
export async function appointmentsOfBooking(db: Db, bookingId: number): Promise<AppointmentRow[]> {
  const r = await db.query<AppointmentRow>(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a JOIN persons per ON per.id = a.person_id
     JOIN clinics c ON c.id = a.clinic_id JOIN products pr ON pr.id = a.product_id
     WHERE a.booking_id = $1 ORDER BY a.starts_at, a.person_id, a.id`, [bookingId]);
  return r.rows;
}

export async function clinicsById(db: Db, ids: number[]): Promise<Map<number, { name: string; address: string; time_zone: string }>> {
  const r = await db.query<{ id: number; name: string; address: string; time_zone: string }>(
    `SELECT id, name, street || ', ' || city || ' ' || postal_code AS address, time_zone FROM clinics WHERE id = ANY ($1::int[])`, [ids]);
  return new Map(r.rows.map((c) => [c.id, c]));
}

export async function isOptedOut(db: Db, mobile: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM sms_opt_outs WHERE mobile = $1', [mobile])).rowCount === 1;
}

export async function optOut(db: Db, mobile: string, source: string): Promise<void> {
  await db.query('INSERT INTO sms_opt_outs (mobile, source) VALUES ($1, $2) ON CONFLICT (mobile) DO NOTHING', [mobile, source]);
}

export async function markSent(db: Db, id: number, providerRef: string): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'sent', sent_at = now(), provider_ref = $2, sending_until = NULL, last_error = NULL
                  WHERE id = $1 AND status = 'sending'`, [id, providerRef]);
}

export async function markSuppressed(db: Db, id: number, why: string): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'suppressed', sending_until = NULL, last_error = $2 WHERE id = $1 AND status = 'sending'`, [id, why]);
}

/** The delivery job of a message (SQL expression): one per message, by its key, so adding it again never makes a second. */
const deliveryJob = (id: string, runAt = 'now()', keyMode = 'replace') =>
  `graphile_worker.add_job('deliver_message', json_build_object('id', ${id}), run_at := ${runAt}, job_key := 'outbox:' || ${id},
                           max_attempts := 10, job_key_mode := '${keyMode}')`;

/** A failed attempt: the error kept, and either the next try scheduled (row and job in one transaction) or the message dead. */
export async function markFailed(pool: pg.Pool, id: number, error: string, retryInMs: number | null): Promise<void> {
  await withTransaction(pool, async (client) => {
    const r = await client.query<{ next: Date }>(
      `UPDATE outbox SET status = $3, last_error = left($2, 500), sending_until = NULL, dispatched_at = coalesce(dispatched_at, now()),
              next_attempt_at = CASE WHEN $4::bigint IS NULL THEN next_attempt_at ELSE now() + $4::bigint * interval '1 millisecond' END
       WHERE id = $1 AND status = 'sending' RETURNING next_attempt_at AS next`, [id, error, retryInMs === null ? 'dead' : 'failed', retryInMs]);
    if (retryInMs !== null && r.rows[0]) await client.query(`SELECT ${deliveryJob('$1::bigint', '$2::timestamptz')}`, [id, r.rows[0].next]);
  });
}

/** Quiet hours: the SMS waits until morning without the attempt being counted. */
/** Back to the queue until `until` without using an attempt; `heldOnPurpose` (quiet hours): not due before then either. */
export async function deferUntil(db: Db, id: number, until: Date, heldOnPurpose = false): Promise<void> {
  await db.query(
    `WITH d AS (UPDATE outbox SET status = 'queued', attempts = attempts - 1, sending_until = NULL, next_attempt_at = $2,
                       dispatched_at = coalesce(dispatched_at, now()), due_since = CASE WHEN $3 THEN $2 ELSE due_since END
                WHERE id = $1 AND status = 'sending' RETURNING id, next_attempt_at)
     SELECT ${deliveryJob('d.id', 'd.next_attempt_at')} FROM d`, [id, until, heldOnPurpose]);
}

export interface ChannelWaiting { channel: Channel; waiting: number; retrying: number; oldest_due: Date | null; oldest_retrying: Date | null }

/** Per channel, the messages not yet out: how many, how many being retried, and since when the oldest were due. */
export async function waitingByChannel(db: Db): Promise<ChannelWaiting[]> {
  // Two scans of small partial indexes (outbox_due, outbox_sending), never of the whole outbox.
  const r = await db.query<ChannelWaiting>(
    `WITH w AS (
       SELECT channel, status, attempts, due_since FROM outbox WHERE status IN ('queued', 'failed')
       UNION ALL
       SELECT channel, status, attempts, due_since FROM outbox WHERE status = 'sending')
     SELECT channel, count(*)::int AS waiting,
            count(*) FILTER (WHERE retried)::int AS retrying,
            min(due_since) FILTER (WHERE due_since <= now()) AS oldest_due,
            min(due_since) FILTER (WHERE retried) AS oldest_retrying
     FROM (SELECT *, status = 'failed' OR attempts > (CASE WHEN status = 'sending' THEN 1 ELSE 0 END) AS retried FROM w) x
     GROUP BY channel`);
  return r.rows;
}

/**
 * Gives new e-mails and SMS their delivery jobs, up to `limit` of them in one
 * transaction with one bulk add_jobs (one NOTIFY per batch, outside any
 * booking's transaction). SKIP LOCKED lets several workers dispatch at once.
 * Returns how many were dispatched.
 */
export async function dispatchNew(db: Db, limit: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH d AS (
       UPDATE outbox SET dispatched_at = now()
       WHERE id IN (SELECT id FROM outbox WHERE dispatched_at IS NULL AND channel <> 'letter' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, next_attempt_at),
     jobs AS (
       SELECT graphile_worker.add_jobs(array_agg(ROW('deliver_message', json_build_object('id', d.id), NULL, d.next_attempt_at, 10,
                                                     'outbox:' || d.id, NULL, NULL)::graphile_worker.job_spec)) AS job
       FROM d HAVING count(*) > 0)
     SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(*) FROM jobs)::int AS jobs`, [limit]);
  return r.rows[0]!.n;
}

/**
 * Recovery: a message whose worker died while sending (lease over) is tried
 * again, and any due message without a job (its job lost) gets one. The job
 * key makes this a no-op for messages that already have their job.
 */
export async function rescue(db: Db, overdueMs: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH lost AS (
       UPDATE outbox SET status = 'failed', sending_until = NULL, last_error = coalesce(last_error, 'the worker stopped while sending; tried again')
       WHERE status = 'sending' AND sending_until < now() RETURNING id),
     due AS (
       SELECT id FROM lost
       UNION SELECT id FROM outbox WHERE status IN ('queued', 'failed') AND channel <> 'letter' AND dispatched_at IS NOT NULL
                                     AND next_attempt_at < now() - $1 * interval '1 millisecond'
       LIMIT 10000)
     SELECT count(${deliveryJob('id', 'now()', 'preserve_run_at')})::int AS n FROM due`, [overdueMs]);
  return r.rows[0]!.n;
}

/**
 * Reminders for appointments starting within `leadHours`, one message per
 * booking and day (a parent's children together), on each channel. Not for
 * appointments booked inside that window (their confirmation is the reminder),
 * nor by letter.
 * Returns the number of bookings reminded.
 */
export async function queueReminders(db: Db, leadHours: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH due AS (
       SELECT a.booking_id, (a.starts_at AT TIME ZONE c.time_zone)::date AS day, array_agg(a.id ORDER BY a.starts_at, a.id) AS ids
       FROM appointments a JOIN clinics c ON c.id = a.clinic_id
       WHERE a.status = 'booked' AND a.starts_at > now() AND a.starts_at <= now() + $1 * interval '1 hour'
         AND a.created_at < a.starts_at - $1 * interval '1 hour'
       GROUP BY a.booking_id, day),
     fresh AS (
       SELECT d.* FROM due d WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key LIKE 'reminder:' || d.booking_id || ':' || d.day || ':%'))
     SELECT count(vaxbook_queue_messages('reminder', 'reminder:' || f.booking_id || ':' || f.day, f.booking_id, b.person_id, NULL, b.region_id,
                                         jsonb_build_object('appointments', to_jsonb(f.ids)), p.email, p.mobile) IS NULL)::int AS n
     FROM fresh f JOIN bookings b ON b.id = f.booking_id JOIN persons p ON p.id = b.person_id
     -- A letter printed tomorrow morning cannot remind anyone of today.
     WHERE p.email IS NOT NULL OR p.mobile IS NOT NULL`, [leadHours]);
  return r.rows[0]!.n;
}

export interface MessageRow {
  id: number;
  kind: string;
  channel: Channel;
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
  confirmation_code: string | null;
  invitation_code: string | null;
  region_code: string | null;
  letter_batch_id: number | null;
}

export interface MessageFilter { status?: MessageStatus; kind?: string; channel?: Channel; regionIds?: number[]; confirmationCode?: string; beforeId?: number; limit: number }

export async function listMessages(db: Db, f: MessageFilter): Promise<MessageRow[]> {
  const r = await db.query<MessageRow>(
    `SELECT o.id::int, o.kind, o.channel, o.status, o.attempts, o.last_error, o.created_at, o.next_attempt_at, o.sent_at,
            b.confirmation_code, o.invitation_code, r.code AS region_code, o.letter_batch_id
     FROM outbox o LEFT JOIN bookings b ON b.id = o.booking_id LEFT JOIN regions r ON r.id = o.region_id
     WHERE ($1::text IS NULL OR o.status = $1) AND ($2::text IS NULL OR o.kind = $2) AND ($3::text IS NULL OR o.channel = $3)
       AND ($4::int[] IS NULL OR o.region_id = ANY ($4)) AND ($5::text IS NULL OR b.confirmation_code = $5)
       AND ($6::bigint IS NULL OR o.id < $6)
     ORDER BY o.id DESC LIMIT $7`,
    [f.status ?? null, f.kind ?? null, f.channel ?? null, f.regionIds ?? null, f.confirmationCode ?? null, f.beforeId ?? null, f.limit]);
  return r.rows;
}

export async function messageCounts(db: Db, regionIds?: number[]): Promise<Array<{ channel: Channel; status: MessageStatus; n: number; oldest: Date | null }>> {
  const r = await db.query<{ channel: Channel; status: MessageStatus; n: number; oldest: Date | null }>(
    `SELECT channel, status, count(*)::int AS n, min(created_at) FILTER (WHERE status IN ('queued', 'failed', 'sending')) AS oldest
     FROM outbox WHERE ($1::int[] IS NULL OR region_id = ANY ($1)) GROUP BY channel, status ORDER BY channel, status`, [regionIds ?? null]);
  return r.rows;
}

export async function messageRegion(db: Db, id: number): Promise<{ region_id: number | null; status: MessageStatus; channel: Channel } | null> {
  const r = await db.query<{ region_id: number | null; status: MessageStatus; channel: Channel }>('SELECT region_id, status, channel FROM outbox WHERE id = $1', [id]);
  return r.rows[0] ?? null;
}

/** Dead or failed messages back to the queue with their attempts reset, each with its job; letters wait for the next batch. */
export async function retryMessages(db: Db, ids: number[]): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `WITH again AS (
       UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = now(), last_error = NULL,
                         dispatched_at = CASE WHEN channel = 'letter' THEN NULL ELSE now() END
       WHERE id = ANY ($1::bigint[]) AND status IN ('dead', 'failed') RETURNING id, channel)
     SELECT id::int, CASE WHEN channel = 'letter' THEN NULL
                          ELSE ${deliveryJob('id')} END
     FROM again`, [ids]);
  return r.rows.map((x) => x.id);
}

export async function deadMessageIds(db: Db, regionIds: number[] | undefined, kind: string | undefined, limit: number): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `SELECT id::int FROM outbox WHERE status = 'dead' AND ($1::int[] IS NULL OR region_id = ANY ($1)) AND ($2::text IS NULL OR kind = $2)
     ORDER BY id LIMIT $3`, [regionIds ?? null, kind ?? null, limit]);
  return r.rows.map((x) => x.id);
}

/** The messages of one booking, for the person and the call centre: what was sent and how, never the content. */
export async function messagesOfBooking(db: Db, bookingId: number): Promise<Array<{ kind: string; channel: Channel; status: MessageStatus; created_at: Date; sent_at: Date | null }>> {
  const r = await db.query<{ kind: string; channel: Channel; status: MessageStatus; created_at: Date; sent_at: Date | null }>(
    `SELECT kind, channel, status, created_at, sent_at FROM outbox WHERE booking_id = $1 ORDER BY id`, [bookingId]);
  return r.rows;
}
