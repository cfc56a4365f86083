import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { localDate } from '../domain/calendar.js';
import { withTransaction } from '../db/transaction.js';
import { reorderSummary } from '../db/repositories/summary-order-repository.js';
import * as seeds from '../db/repositories/seed-repository.js';
import { canadianTowns } from '../seed/gazetteer.js';
import { generateProvince, type HealthUnit, type ProvinceSeed } from '../seed/province.js';
import { projectRoot } from '../paths.js';
import { insertRolloutVersion } from '../db/repositories/rollout-repository.js';
import { demoRollout } from '../seed/demo-rollout.js';

export const DEMO_DAYS = 56;
export const NATIONAL_DAYS = 90;

/** Ontario's 34 public-health units: shared/ fixture when present, else the copy shipped in the repository. */
export function ontarioHealthUnits(): HealthUnit[] {
  const candidates = [
    path.join(projectRoot, '..', 'shared', 'fixtures', 'ontario-public-health-units.json'),
    path.join(projectRoot, 'src', 'seed', 'ontario-public-health-units.json'),
  ];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) throw new Error('ontario-public-health-units.json not found');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { units: HealthUnit[] }).units;
}

export function buildProvince(scale: 'demo' | 'national', seed: number): ProvinceSeed {
  return generateProvince({ seed, scale, healthUnits: ontarioHealthUnits(), towns: canadianTowns() });
}

export interface LoadResult { loaded: boolean; reason?: string; clinics: number; slots: number; firstDay?: string }

/**
 * Loads the demo province once: 8 weeks of published sessions from today,
 * and its roll-out (phases dated from today).
 * All in one transaction, so an interrupted load leaves nothing behind and
 * the next start tries again; a database that already holds clinics of its
 * own is never touched.
 */
export async function loadDemoProvince(pool: pg.Pool, seed: number, now = new Date()): Promise<LoadResult> {
  return withTransaction(pool, async (db) => {
    await seeds.lockDataSetLoading(db);
    const existing = await seeds.dataSetLoaded(db, 'demo');
    if (existing) return { loaded: false, reason: `demo data loaded earlier (from ${existing.first_day})`, clinics: 0, slots: 0, firstDay: existing.first_day };
    if ((await seeds.countClinics(db)) > 0) return { loaded: false, reason: 'the database already holds clinics', clinics: 0, slots: 0 };
    const province = buildProvince('demo', seed);
    const firstDay = localDate(now, province.jurisdiction.timeZone);
    await seeds.insertReferenceData(db, province);
    const { fromSession, toSession } = await seeds.insertCalendar(db, province, firstDay, DEMO_DAYS, true);
    const slots = await seeds.insertSlotsForSessions(db, fromSession, toSession);
    await seeds.recordDataSet(db, 'demo', seed, firstDay, DEMO_DAYS);
    await insertRolloutVersion(db, 0, demoRollout(firstDay, ontarioHealthUnits()), 'demo data', 'The demo province\'s roll-out, dated from the day the demo was loaded');
    return { loaded: true, clinics: province.clinics.length, slots, firstDay };
  });
}

export interface NationalProgress { done: number; total: number; slots: number }

/**
 * The national benchmark data set (~3,000 sites × 90 days, ~27 million slots),
 * replacing whatever the database holds. Slots are generated inside PostgreSQL
 * in chunks over two connections, reporting progress after each chunk.
 */
export async function loadNationalDataSet(pool: pg.Pool, seed: number, onProgress: (p: NationalProgress) => void,
  now = new Date()): Promise<LoadResult> {
  const province = buildProvince('national', seed);
  const firstDay = localDate(now, province.jurisdiction.timeZone);
  const { fromSession, toSession } = await withTransaction(pool, async (db) => {
    await seeds.truncateAll(db);
    await seeds.insertReferenceData(db, province);
    return seeds.insertCalendar(db, province, firstDay, NATIONAL_DAYS, true);
  });
  const chunk = 2_000;
  const chunks: Array<[number, number]> = [];
  for (let lo = fromSession; lo <= toSession; lo += chunk) chunks.push([lo, Math.min(toSession, lo + chunk - 1)]);
  let done = 0;
  let slots = 0;
  const worker = async () => {
    for (let next = chunks.shift(); next; next = chunks.shift()) {
      const inserted = await seeds.insertSlotsForSessions(pool, next[0], next[1]);
      slots += inserted; // after the await: `slots += await …` would read `slots` before it and lose the other worker's rows
      onProgress({ done: ++done, total: Math.ceil((toSession - fromSession + 1) / chunk), slots });
    }
  };
  await Promise.all([worker(), worker()]);
  await withTransaction(pool, (db) => seeds.recordDataSet(db, 'national', seed, firstDay, NATIONAL_DAYS));
  // The slots went in day by day across the country: store each clinic's summary rows together, as search reads them.
  await reorderSummary(pool);
  await seeds.analyze(pool);
  return { loaded: true, clinics: province.clinics.length, slots, firstDay };
}
