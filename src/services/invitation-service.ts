import type pg from 'pg';
import * as repo from '../db/repositories/invitation-repository.js';
import { withTransaction } from '../db/transaction.js';
import { newConfirmationCode } from '../domain/confirmation-code.js';
import { invitationCsv, invitationPdf, type InvitationLetterBatch } from '../integrations/letters/invitation-letters.js';
import { InputError } from './input-error.js';
import { jurisdictionSettings } from './reference-service.js';
import { currentRollout } from './rollout-service.js';

/**
 * Invitation batches for an invitation-only phase: N single-use codes for a
 * region and a cohort, exported for mail merge (CSV) and print (PDF), counted
 * as they are redeemed, and revocable. Codes use the confirmation-code
 * alphabet: short, no look-alike characters, about 43 bits of randomness.
 */

export function batchView(b: repo.BatchRow) {
  return {
    id: b.id, region: b.region_code, regionName: b.region_name, cohort: b.cohort_id, size: b.size, redeemed: b.redeemed,
    expiresAt: b.expires_at.toISOString(), createdAt: b.created_at.toISOString(), createdBy: b.created_by,
    revokedAt: b.revoked_at?.toISOString() ?? null, revokedBy: b.revoked_by,
    status: b.revoked_at ? 'revoked' : b.expires_at <= new Date() ? 'expired' : 'active',
  };
}

export async function createBatch(pool: pg.Pool, req: { region: string; cohort: string; size: number; expiresAt: string; createdBy: string }) {
  const rules = (await currentRollout(pool)).rules;
  if (!rules?.cohorts.some((c) => c.id === req.cohort)) {
    throw new InputError('cohort', { en: `The roll-out has no cohort "${req.cohort}".`, fr: `Le déploiement n'a pas de cohorte « ${req.cohort} ».` });
  }
  const expiresAt = new Date(req.expiresAt);
  if (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date()) {
    throw new InputError('expiresAt', { en: 'The expiry must be a date and time in the future.', fr: "L'expiration doit être une date et une heure futures." });
  }
  const id = await withTransaction(pool, (db) => repo.createBatch(db, { regionCode: req.region, cohortId: req.cohort, size: req.size, expiresAt, by: req.createdBy },
    () => newConfirmationCode()));
  if (id === undefined) throw new InputError('region', { en: `There is no region "${req.region}".`, fr: `La région « ${req.region} » n'existe pas.` });
  return batchView((await repo.batchById(pool, id))!);
}

export async function listBatches(pool: pg.Pool) {
  return (await repo.listBatches(pool)).map(batchView);
}

export async function getBatch(pool: pg.Pool, id: number) {
  const b = await repo.batchById(pool, id);
  return b && batchView(b);
}

export async function revokeBatch(pool: pg.Pool, id: number, by: string) {
  return (await repo.revokeBatch(pool, id, by)) ? getBatch(pool, id) : undefined;
}

async function letterBatch(pool: pg.Pool, id: number, portalUrl: string): Promise<InvitationLetterBatch | undefined> {
  const b = await repo.batchById(pool, id);
  if (!b) return undefined;
  const [codes, settings, rollout] = await Promise.all([repo.batchCodes(pool, id), jurisdictionSettings(pool), currentRollout(pool)]);
  const cohort = rollout.rules?.cohorts.find((c) => c.id === b.cohort_id)?.name ?? { en: b.cohort_id, fr: b.cohort_id };
  return {
    batchId: b.id, jurisdictionName: settings.name, regionName: b.region_name, cohortName: cohort, expiresAt: b.expires_at,
    timeZone: settings.timeZone, portalUrl,
    // Letters are for codes still to be used: a reprint after some were redeemed skips those.
    codes: codes.filter((c) => !c.redeemed).map((c) => ({ code: c.code })),
  };
}

export async function batchCsv(pool: pg.Pool, id: number, portalUrl: string): Promise<string | undefined> {
  const batch = await letterBatch(pool, id, portalUrl);
  return batch && invitationCsv(batch);
}

export async function batchPdf(pool: pg.Pool, id: number, portalUrl: string): Promise<Buffer | undefined> {
  const batch = await letterBatch(pool, id, portalUrl);
  return batch && invitationPdf(batch);
}
