import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface LetterBatchRow { id: number; region_id: number; region_code: string; region_name: string; letters: number; created_by: string; created_at: Date }

const COLUMNS = `lb.id, lb.region_id, r.code AS region_code, r.name AS region_name, lb.letters, lb.created_by, lb.created_at`;

/**
 * Every letter of the region still queued goes into one new batch, marked
 * handed to the print house, in one statement: a letter is never in two
 * batches, however many administrators press the button at once.
 */
export async function createBatch(db: pg.PoolClient, regionId: number, by: string): Promise<number | null> {
  await db.query('SELECT pg_advisory_xact_lock(7351002, $1)', [regionId]);
  // The letters are locked first, so the count kept with the batch is exactly the letters it takes
  // (a booking committing meanwhile waits for the next batch).
  const letters = await db.query<{ id: string }>(
    `SELECT id FROM outbox WHERE channel = 'letter' AND status = 'queued' AND region_id = $1 FOR UPDATE`, [regionId]);
  if (!letters.rows.length) return null;
  const batch = await db.query<{ id: number }>(
    `INSERT INTO letter_batches (region_id, letters, created_by) VALUES ($1, $2, $3) RETURNING id`, [regionId, letters.rows.length, by]);
  const id = batch.rows[0]!.id;
  await db.query(
    `UPDATE outbox SET status = 'sent', sent_at = now(), letter_batch_id = $2::int, attempts = attempts + 1, provider_ref = 'letter batch ' || $2::int
     WHERE id = ANY ($1::bigint[])`, [letters.rows.map((r) => r.id), id]);
  return id;
}

/** Regions with letters waiting. */
export async function regionsWithLetters(db: Db): Promise<number[]> {
  const r = await db.query<{ region_id: number }>(`SELECT DISTINCT region_id FROM outbox WHERE channel = 'letter' AND status = 'queued' AND region_id IS NOT NULL`);
  return r.rows.map((x) => x.region_id);
}

export async function batchById(db: Db, id: number): Promise<LetterBatchRow | undefined> {
  return (await db.query<LetterBatchRow>(`SELECT ${COLUMNS} FROM letter_batches lb JOIN regions r ON r.id = lb.region_id WHERE lb.id = $1`, [id])).rows[0];
}

export async function listBatches(db: Db, regionIds?: number[]): Promise<LetterBatchRow[]> {
  return (await db.query<LetterBatchRow>(
    `SELECT ${COLUMNS} FROM letter_batches lb JOIN regions r ON r.id = lb.region_id
     WHERE ($1::int[] IS NULL OR lb.region_id = ANY ($1)) ORDER BY lb.id DESC LIMIT 200`, [regionIds ?? null])).rows;
}

export async function batchMessages(db: Db, id: number): Promise<Array<{ id: number; kind: string; channel: 'letter'; dedupe_key: string; attempts: number;
  booking_id: number | null; invitation_code: string | null; payload: Record<string, unknown> }>> {
  return (await db.query(
    `SELECT id::int, kind, channel, dedupe_key, attempts, booking_id::int, invitation_code, payload FROM outbox
     WHERE letter_batch_id = $1 ORDER BY id`, [id])).rows;
}
