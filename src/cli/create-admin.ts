import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { InputError } from '../services/input-error.js';
import { createStaff } from '../services/staff-service.js';

/** `vaxbook create-admin --email … --name …`: how the first administrator comes to exist. */
export async function createAdmin(pool: pg.Pool, values: { email?: string; name?: string }, say: (m: string) => void): Promise<number> {
  if (!values.email || !values.name) {
    say('create-admin needs --email (the administrator\'s e-mail address) and --name (their name), e.g.\n  npm run vaxbook -- create-admin --email ops@health.example.org --name "Dana Ops"');
    return 2;
  }
  const given = process.env.VAXBOOK_NEW_PASSWORD;
  const password = given ?? randomBytes(15).toString('base64url');
  try {
    const a = await createStaff(pool, { email: values.email, displayName: values.name, role: 'administrator', password }, null);
    say(`Created administrator ${a.email} (account ${a.id}).`);
    if (!given) say(`Password (shown once, keep it safe): ${password}`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      const field = err.field === 'password' ? 'VAXBOOK_NEW_PASSWORD' : `--${err.field === 'displayName' ? 'name' : err.field}`;
      say(`vaxbook: ${field}: ${err.messages.en}`);
      return 2;
    }
    throw err;
  }
}
