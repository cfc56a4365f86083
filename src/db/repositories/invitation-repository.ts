import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface InvitationRow {
  code: string; batch_id: number; region_code: string; cohort_id: string; expires_at: Date; revoked_at: Date | null;
  person_id: number | null; holder_scheme: string | null; holder_identifier: string | null; holder_dob: string | null;
}

export async function findInvitation(db: Db, code: string): Promise<InvitationRow | undefined> {
  const r = await db.query<InvitationRow>(
    `SELECT c.code, c.batch_id, r.code AS region_code, b.cohort_id, b.expires_at, b.revoked_at, c.person_id,
            p.identifier_scheme AS holder_scheme, p.identifier AS holder_identifier, p.date_of_birth::text AS holder_dob
     FROM invitation_codes c JOIN invitation_batches b ON b.id = c.batch_id JOIN regions r ON r.id = b.region_id
     LEFT JOIN persons p ON p.id = c.person_id WHERE c.code = $1`, [code]);
  return r.rows[0];
}

export interface BatchRow {
  id: number; region_code: string; region_name: string; cohort_id: string; size: number; expires_at: Date; created_at: Date;
  created_by: string; revoked_at: Date | null; revoked_by: string | null; redeemed: number;
}

const BATCH_COLUMNS = `b.id, r.code AS region_code, r.name AS region_name, b.cohort_id, b.size, b.expires_at, b.created_at, b.created_by,
  b.revoked_at, b.revoked_by, (SELECT count(*) FROM invitation_codes c WHERE c.batch_id = b.id AND c.person_id IS NOT NULL)::integer AS redeemed`;

/**
 * A batch and its `size` codes, in one transaction. `newCode` may collide
 * with an existing code (about 2^-43 per pair): colliding inserts are skipped
 * and topped up until the batch is full.
 */
export async function createBatch(db: pg.PoolClient, b: { regionCode: string; cohortId: string; size: number; expiresAt: Date; by: string },
  newCode: () => string): Promise<number | undefined> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO invitation_batches (region_id, cohort_id, size, expires_at, created_by)
     SELECT id, $2, $3, $4, $5 FROM regions WHERE code = $1 RETURNING id`, [b.regionCode, b.cohortId, b.size, b.expiresAt, b.by]);
  const id = r.rows[0]?.id;
  if (id === undefined) return undefined;
  let missing = b.size;
  for (let round = 0; missing > 0; round++) {
    if (round > 10) throw new Error('could not generate unique invitation codes');
    const codes = Array.from({ length: missing }, newCode);
    const ins = await db.query('INSERT INTO invitation_codes (code, batch_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [codes, id]);
    missing -= ins.rowCount ?? 0;
  }
  return id;
}

export async function listBatches(db: Db): Promise<BatchRow[]> {
  const r = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM invitation_batches b JOIN regions r ON r.id = b.region_id ORDER BY b.id DESC`);
  return r.rows;
}

export async function batchById(db: Db, id: number): Promise<BatchRow | undefined> {
  const r = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM invitation_batches b JOIN regions r ON r.id = b.region_id WHERE b.id = $1`, [id]);
  return r.rows[0];
}

export async function batchCodes(db: Db, id: number): Promise<Array<{ code: string; redeemed: boolean }>> {
  const r = await db.query<{ code: string; redeemed: boolean }>(
    'SELECT code, person_id IS NOT NULL AS redeemed FROM invitation_codes WHERE batch_id = $1 ORDER BY code', [id]);
  return r.rows;
}

/** Revokes a batch (once: a second revocation keeps the first one's time and author). */
export async function revokeBatch(db: Db, id: number, by: string): Promise<boolean> {
  const r = await db.query('UPDATE invitation_batches SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $2) WHERE id = $1', [id, by]);
  return r.rowCount === 1;
}

/** Redeems a code for an existing person outside a booking (an agent on the phone). Raises VB403 like the booking. */
export async function redeem(db: Db, code: string, personId: number): Promise<void> {
  await db.query('SELECT vaxbook_redeem_invitation($1, $2)', [code, personId]);
}

export interface InvitationRecipient {
  givenName: string; familyName: string; language: string;
  email?: string; mobile?: string; address?: { line: string; city: string; postalCode: string };
}

/**
 * Gives each recipient an unused code of the batch and queues their
 * invitation, in the caller's transaction: the batch row is locked so two
 * sends never hand out the same code, nor codes of a batch revoked meanwhile.
 * Returns the codes given, the number of codes left when there are not
 * enough, or why the batch cannot be used.
 */
export async function addressInvitations(db: pg.PoolClient, batchId: number, recipients: InvitationRecipient[]):
  Promise<{ codes: string[] } | { left: number } | { closed: true } | { missing: true }> {
  // Locked, so a revocation cannot slip in between this check and the codes handed out.
  const batch = await db.query<{ open: boolean }>('SELECT revoked_at IS NULL AND expires_at > now() AS open FROM invitation_batches WHERE id = $1 FOR UPDATE', [batchId]);
  if (!batch.rows[0]) return { missing: true };
  if (!batch.rows[0].open) return { closed: true };
  const free = await db.query<{ code: string }>(
    `SELECT c.code FROM invitation_codes c WHERE c.batch_id = $1 AND c.person_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM invitation_recipients r WHERE r.code = c.code) ORDER BY c.code LIMIT $2`, [batchId, recipients.length]);
  if (free.rows.length < recipients.length) return { left: free.rows.length };
  const codes = free.rows.map((r) => r.code);
  const rows = recipients.map((r, i) => ({ code: codes[i], ...r, line: r.address?.line, city: r.address?.city, postalCode: r.address?.postalCode }));
  await db.query(
    `WITH given AS (
       INSERT INTO invitation_recipients (code, given_name, family_name, language, email, mobile, address_line, city, postal_code)
       SELECT x.code, x."givenName", x."familyName", x.language, x.email, x.mobile, x.line, x.city, x."postalCode"
       FROM jsonb_to_recordset($1::jsonb) AS x(code text, "givenName" text, "familyName" text, language text, email text, mobile text,
                                               line text, city text, "postalCode" text)
       RETURNING code, email, mobile)
     SELECT vaxbook_queue_messages('invitation', 'invitation:' || g.code, NULL, NULL, g.code, b.region_id, '{}'::jsonb, g.email, g.mobile)
     FROM given g JOIN invitation_batches b ON b.id = $2`, [JSON.stringify(rows), batchId]);
  return { codes };
}
