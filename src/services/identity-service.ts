import type pg from 'pg';
import { checkIdentifier, isIdentifierScheme, type IdentifierCheck } from '../domain/identifiers.js';
import { jurisdictionSettings } from './reference-service.js';

/**
 * An identifier checked by the jurisdiction's scheme. Pure arithmetic on what
 * was typed — it says nothing about whether such a person exists — so the
 * portal may ask as the person types. A scheme vaxbook does not know is only
 * normalised.
 */
export async function checkTypedIdentifier(pool: pg.Pool, identifier: string, dateOfBirth?: string): Promise<IdentifierCheck | { ok: true; scheme: string; value: string; version?: string }> {
  const scheme = (await jurisdictionSettings(pool)).identifierScheme;
  if (!isIdentifierScheme(scheme)) return { ok: true, scheme, value: identifier.replace(/[\s.-]/g, '').toUpperCase() };
  return checkIdentifier(scheme, identifier, dateOfBirth);
}
