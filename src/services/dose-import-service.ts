import type pg from 'pg';
import { importPersonDoses } from '../db/repositories/dose-record-repository.js';
import { withTransaction } from '../db/transaction.js';
import { dateOfBirthProblem, pastDoseDateProblem } from '../domain/age.js';
import { localDate } from '../domain/calendar.js';
import { checkIdentifier, isIdentifierScheme } from '../domain/identifiers.js';
import type { Msg } from '../domain/rollout.js';
import { productCatalogue } from './reference-cache.js';
import { jurisdictionSettings } from './reference-service.js';

/**
 * Doses given elsewhere, from a registry export: each row checked on its own
 * (a bad row is reported by number and field, never stops the others), the
 * good rows stored in one transaction.
 */

export interface ImportRow { identifier: string; dateOfBirth: string; givenName: string; familyName: string; doses: Array<{ date: string; product: string }> }
export interface ImportProblem { row: number; field: string; message: Msg }

const IDENTITY_MISMATCH: Msg = {
  en: 'This health card number is recorded here with another date of birth: check which one is right.',
  fr: 'Ce numéro de carte santé est inscrit ici avec une autre date de naissance : vérifiez laquelle est exacte.',
};

export async function importDoseRecords(pool: pg.Pool, rows: ImportRow[]) {
  const [settings, products] = await Promise.all([jurisdictionSettings(pool), productCatalogue(pool)]);
  const today = localDate(new Date(), settings.timeZone);
  const problems: ImportProblem[] = [];
  const good: Array<{ row: number; person: Record<string, unknown>; doses: ImportRow['doses'] }> = [];
  rows.forEach((row, i) => {
    const problem = (field: string, message: Msg) => problems.push({ row: i, field: `rows.${i}.${field}`, message });
    let identifier = row.identifier.replace(/[\s.-]/g, '').toUpperCase();
    if (isIdentifierScheme(settings.identifierScheme)) {
      const c = checkIdentifier(settings.identifierScheme, row.identifier, row.dateOfBirth);
      if (!c.ok) return problem('identifier', c.message);
      identifier = c.value;
    }
    const dob = dateOfBirthProblem(row.dateOfBirth, today);
    if (dob) return problem('dateOfBirth', dob);
    const badDates = row.doses.map((d) => pastDoseDateProblem(d.date, row.dateOfBirth, today));
    const bad = badDates.findIndex((p) => p !== null);
    if (bad >= 0) return problem(`doses.${bad}.date`, badDates[bad]!);
    const unknown = row.doses.findIndex((d) => !products.some((p) => p.code === d.product));
    if (unknown >= 0) return problem(`doses.${unknown}.product`, { en: `There is no product "${row.doses[unknown]!.product}".`, fr: `Le produit « ${row.doses[unknown]!.product} » n'existe pas.` });
    good.push({
      row: i,
      person: { identifierScheme: settings.identifierScheme, identifier, dateOfBirth: row.dateOfBirth, givenName: row.givenName, familyName: row.familyName, language: 'en' },
      doses: [...row.doses].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    });
  });
  const stored: typeof good = [];
  const added = await withTransaction(pool, async (db) => {
    let n = 0;
    for (const g of good) {
      // A card recorded here with another date of birth is that row's problem only: the others are kept.
      await db.query('SAVEPOINT person');
      try {
        n += await importPersonDoses(db, g.person, g.doses);
        stored.push(g);
      } catch (err) {
        if ((err as { code?: string }).code !== 'VB418') throw err;
        await db.query('ROLLBACK TO SAVEPOINT person');
        problems.push({ row: g.row, field: `rows.${g.row}.dateOfBirth`, message: IDENTITY_MISMATCH });
      }
    }
    return n;
  });
  problems.sort((a, b) => a.row - b.row);
  const given = stored.reduce((n, g) => n + g.doses.length, 0);
  return { people: stored.length, dosesAdded: added, dosesAlreadyRecorded: given - added, problems };
}
