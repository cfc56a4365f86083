import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { Value } from 'typebox/value';
import YAML from 'yaml';
import * as repo from '../db/repositories/rollout-repository.js';
import { rolloutProblems, RolloutSchema, type Rollout } from '../domain/rollout.js';
import { InputError } from './input-error.js';

/**
 * The roll-out document: stored as numbered versions (who, when, why), read
 * by every eligibility decision from a short-lived cache, replaced through the
 * admin API or a file given at start-up.
 */

export interface RolloutVersion { version: number; rules: Rollout | null; createdAt: string | null; createdBy: string | null; note: string | null }

const caches = new WeakMap<pg.Pool, { at: number; value: Promise<RolloutVersion> }>();

/** The rules in force (null rules: no roll-out configured, everyone may book). Re-read at most every 10 s. */
export function currentRollout(pool: pg.Pool): Promise<RolloutVersion> {
  const hit = caches.get(pool);
  if (hit && Date.now() - hit.at < 10_000) return hit.value;
  const value = repo.currentRollout(pool).then((row) => row
    ? { version: row.version, rules: row.document as Rollout, createdAt: row.created_at.toISOString(), createdBy: row.created_by, note: row.note }
    : { version: 0, rules: null, createdAt: null, createdBy: null, note: null });
  caches.set(pool, { at: Date.now(), value });
  value.catch(() => caches.delete(pool));
  return value;
}

/** Checks a candidate document against the schema and the database's regions; throws InputError naming the field. */
export async function validateRollout(pool: pg.Pool, doc: unknown, field = 'document'): Promise<Rollout> {
  const first = [...Value.Errors(RolloutSchema, doc)][0];
  if (first) {
    const where = first.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
    throw new InputError(`${field}${where}`, {
      en: `The roll-out document is not valid at ${field}${where}: ${first.message}.`,
      fr: `Le document de déploiement n'est pas valide à ${field}${where} : ${first.message}.`,
    });
  }
  const rules = doc as Rollout;
  const problem = rolloutProblems(rules, new Set(await repo.regionCodes(pool)))[0];
  if (problem) throw new InputError(`${field}.${problem.field}`, problem.message);
  return rules;
}

export class RolloutConflict extends Error {}

/** Stores a new version; `basedOn` must be the version the editor read (else RolloutConflict: someone changed it meanwhile). */
export async function updateRollout(pool: pg.Pool, doc: unknown, by: string, note: string | null, basedOn: number): Promise<RolloutVersion> {
  const rules = await validateRollout(pool, doc);
  const version = await repo.insertRolloutVersion(pool, basedOn, rules, by, note);
  if (version === null) throw new RolloutConflict(`the roll-out changed after version ${basedOn}`);
  caches.delete(pool);
  return currentRollout(pool);
}

export async function rolloutHistory(pool: pg.Pool) {
  return (await repo.rolloutVersions(pool)).map((v) => ({ version: v.version, createdAt: v.created_at.toISOString(), createdBy: v.created_by, note: v.note }));
}

/** Parses a roll-out file (JSON, or YAML by extension); errors name the file. */
export function readRolloutFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError('VAXBOOK_ROLLOUT_FILE', { en: `Cannot read the roll-out file ${file}: ${(err as Error).message}`, fr: `Impossible de lire le fichier de déploiement ${file} : ${(err as Error).message}` });
  }
  try {
    return /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new InputError('VAXBOOK_ROLLOUT_FILE', { en: `The roll-out file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`, fr: `Le fichier de déploiement ${file} n'est pas un document valide : ${(err as Error).message}` });
  }
}

/** At start-up: stores the file's rules as a new version when they differ from those in force. Returns the version in force. */
export async function loadRolloutFile(pool: pg.Pool, file: string): Promise<number> {
  const doc = readRolloutFile(file);
  const current = await currentRollout(pool);
  const rules = await validateRollout(pool, doc, 'VAXBOOK_ROLLOUT_FILE');
  if (current.rules && canonical(current.rules) === canonical(rules)) return current.version;
  return (await updateRollout(pool, rules, `file:${path.basename(file)}`, 'loaded at start-up', current.version)).version;
}

/** JSON with sorted keys: jsonb does not keep the key order of the file. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** Forget the cached rules (tests, and after a change made elsewhere). */
export function forgetCachedRollout(pool: pg.Pool): void {
  caches.delete(pool);
}
