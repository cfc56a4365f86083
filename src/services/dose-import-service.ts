import type pg from 'pg';
import { importPersonDoses } from '../db/repositories/dose-record-repository.js';
import { withTransaction } from '../db/transaction.js';
import { isValidDay } from '../domain/age.js';
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

export async function importDoseRecords(pool: pg.Pool, rows: ImportRow[]) {
  const [settings, products] = await Promise.all([jurisdictionSettings(pool), productCatalogue(pool)]);
  const today = localDate(new Date(), settings.timeZone);
  const problems: ImportProblem[] = [];
  const good: Array<{ person: Record<string, unknown>; doses: ImportRow['doses'] }> = [];
  rows.forEach((row, i) => {
    const problem = (field: string, message: Msg) => problems.push({ row: i, field: `rows.${i}.${field}`, message });
    let identifier = row.identifier.replace(/[\s.-]/g, '').toUpperCase();
    if (isIdentifierScheme(settings.identifierScheme)) {
      const c = checkIdentifier(settings.identifierScheme, row.identifier, row.dateOfBirth);
      if (!c.ok) return problem('identifier', c.message);
      identifier = c.value;
    }
    if (!isValidDay(row.dateOfBirth) || row.dateOfBirth > today) {
      return problem('dateOfBirth', { en: 'The date of birth must be a real date, not in the future.', fr: 'La date de naissance doit être une vraie date, pas dans le futur.' });
    }
    const bad = row.doses.findIndex((d) => !isValidDay(d.date) || d.date > today || d.date < row.dateOfBirth);
    if (bad >= 0) return problem(`doses.${bad}.date`, { en: 'A dose date must be a real date between birth and today.', fr: 'La date d’une dose doit être une vraie date entre la naissance et aujourd’hui.' });
    const unknown = row.doses.findIndex((d) => !products.some((p) => p.code === d.product));
    if (unknown >= 0) return problem(`doses.${unknown}.product`, { en: `There is no product "${row.doses[unknown]!.product}".`, fr: `Le produit « ${row.doses[unknown]!.product} » n'existe pas.` });
    good.push({
      person: { identifierScheme: settings.identifierScheme, identifier, dateOfBirth: row.dateOfBirth, givenName: row.givenName, familyName: row.familyName, language: 'en' },
      doses: [...row.doses].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    });
  });
  const added = await withTransaction(pool, async (db) => {
    let n = 0;
    for (const g of good) n += await importPersonDoses(db, g.person, g.doses);
    return n;
  });
  const given = good.reduce((n, g) => n + g.doses.length, 0);
  return { people: good.length, dosesAdded: added, dosesAlreadyRecorded: given - added, problems };
}
