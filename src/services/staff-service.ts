import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import * as OTPAuth from 'otpauth';
import * as repo from '../db/repositories/staff-repository.js';
import { isRole, type Actor, type Role } from '../domain/staff-policy.js';
import { InputError } from './input-error.js';
import { DUMMY_HASH, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { jurisdictionSettings } from './reference-service.js';

/** Staff accounts, logins and sessions. Authorization itself is the domain's staff policy. */

export const SESSION_HOURS = 10; // a clinic day, from set-up to the end-of-day summary
export const IDLE_MINUTES = 60;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export interface StaffView {
  id: number; email: string; displayName: string; role: Role; regionIds: number[]; clinicIds: number[];
  totpEnabled: boolean; disabled: boolean; createdAt: string;
}

export const staffView = (s: repo.StaffRow): StaffView => ({
  id: s.id, email: s.email, displayName: s.display_name, role: s.role as Role, regionIds: s.region_ids, clinicIds: s.clinic_ids,
  totpEnabled: s.totp_enabled_at !== null, disabled: s.disabled_at !== null, createdAt: s.created_at.toISOString(),
});

export interface NewStaff { email: string; displayName: string; role: string; password: string; regionIds?: number[]; clinicIds?: number[] }

/** Creates an account; each problem names its field. */
export async function createStaff(pool: pg.Pool, input: NewStaff, createdBy: number | null): Promise<StaffView> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new InputError('email', { en: 'Give a work e-mail address, like name@health.example.org.', fr: 'Indiquez une adresse courriel professionnelle, comme nom@sante.exemple.org.' });
  if (!input.displayName.trim()) throw new InputError('displayName', { en: 'Give the person’s name.', fr: 'Indiquez le nom de la personne.' });
  if (!isRole(input.role)) {
    throw new InputError('role', {
      en: 'The role must be administrator, region_manager, clinic_manager, vaccinator, reception or agent.',
      fr: 'Le rôle doit être administrator, region_manager, clinic_manager, vaccinator, reception ou agent.',
    });
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new InputError('password', { en: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`, fr: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.` });
  }
  const regionIds = [...new Set(input.regionIds ?? [])];
  const clinicIds = [...new Set(input.clinicIds ?? [])];
  if (input.role === 'region_manager' && !regionIds.length) throw new InputError('regionIds', { en: 'A region manager needs at least one region.', fr: 'Un gestionnaire régional doit avoir au moins une région.' });
  if (['clinic_manager', 'vaccinator', 'reception'].includes(input.role) && !clinicIds.length) {
    throw new InputError('clinicIds', { en: 'Clinic staff need at least one clinic.', fr: 'Le personnel de clinique doit être rattaché à au moins une clinique.' });
  }
  const known = await repo.knownScope(pool, regionIds, clinicIds);
  if (known.regions !== regionIds.length) throw new InputError('regionIds', { en: 'One of these regions does not exist.', fr: "L'une de ces régions n'existe pas." });
  if (known.clinics !== clinicIds.length) throw new InputError('clinicIds', { en: 'One of these clinics does not exist.', fr: "L'une de ces cliniques n'existe pas." });
  try {
    return staffView(await repo.insertStaff(pool, { email, displayName: input.displayName.trim(), role: input.role, regionIds, clinicIds, passwordHash: await hashPassword(input.password), createdBy }));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new InputError('email', { en: 'There is already an account with this e-mail address.', fr: 'Un compte existe déjà avec cette adresse courriel.' });
    throw err;
  }
}

const sha256 = (token: string) => createHash('sha256').update(token).digest();

export type LoginOutcome =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; staff: StaffView }
  | { ok: false; refusal: 'bad_credentials' | 'totp_required' | 'totp_invalid'; staffId?: number }
  | { ok: false; refusal: 'locked'; until: Date; staffId?: number };

function totpOf(secret: string, label: string, issuer: string) {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/**
 * Password, then (when enrolled) the one-time code. Repeated failures lock the
 * account for a while; the same answer whether the e-mail exists or not.
 */
export async function login(pool: pg.Pool, input: { email: string; password: string; totp?: string }, ip: string | null): Promise<LoginOutcome> {
  const account = await repo.staffByEmail(pool, input.email.trim().toLowerCase());
  const passwordOk = await verifyPassword(input.password, account?.password_hash ?? DUMMY_HASH);
  if (!account || account.disabled_at) return { ok: false, refusal: 'bad_credentials' };
  if (account.locked_until && account.locked_until > new Date()) return { ok: false, refusal: 'locked', until: account.locked_until, staffId: account.id };
  if (!passwordOk) {
    const { lockedUntil } = await repo.recordFailedLogin(pool, account.id, MAX_FAILURES, LOCK_MINUTES);
    return lockedUntil && lockedUntil > new Date() ? { ok: false, refusal: 'locked', until: lockedUntil, staffId: account.id } : { ok: false, refusal: 'bad_credentials', staffId: account.id };
  }
  if (account.totp_enabled_at && account.totp_secret) {
    if (!input.totp) return { ok: false, refusal: 'totp_required', staffId: account.id };
    const issuer = (await jurisdictionSettings(pool)).name;
    if (totpOf(account.totp_secret, account.email, issuer).validate({ token: input.totp.replace(/\s/g, ''), window: 1 }) === null) {
      await repo.recordFailedLogin(pool, account.id, MAX_FAILURES, LOCK_MINUTES);
      return { ok: false, refusal: 'totp_invalid', staffId: account.id };
    }
  }
  await repo.recordGoodLogin(pool, account.id);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = await repo.insertSession(pool, { tokenHash: sha256(token), staffId: account.id, csrfToken, hours: SESSION_HOURS, ip });
  return { ok: true, token, csrfToken, expiresAt, staff: staffView(account) };
}

export interface StaffSession { staffId: number; email: string; displayName: string; actor: Actor; csrfToken: string; expiresAt: Date; totpEnabled: boolean }

export async function sessionOf(pool: pg.Pool, token: string): Promise<StaffSession | undefined> {
  const s = await repo.touchSession(pool, sha256(token), IDLE_MINUTES);
  if (!s || !isRole(s.role)) return undefined;
  return {
    staffId: s.staff_id, email: s.email, displayName: s.display_name, csrfToken: s.csrf_token, expiresAt: s.expires_at,
    totpEnabled: s.totp_enabled_at !== null, actor: { role: s.role, regionIds: s.region_ids, clinicIds: s.clinic_ids },
  };
}

export const logout = (pool: pg.Pool, token: string) => repo.revokeSession(pool, sha256(token));

/** A new TOTP secret for the account, not in force until a code from it is confirmed. */
export async function startTotp(pool: pg.Pool, staffId: number, email: string): Promise<{ secret: string; uri: string }> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await repo.setPendingTotpSecret(pool, staffId, secret);
  const issuer = (await jurisdictionSettings(pool)).name;
  return { secret, uri: totpOf(secret, email, issuer).toString() };
}

export async function confirmTotp(pool: pg.Pool, staffId: number, code: string): Promise<boolean> {
  const account = await repo.staffById(pool, staffId);
  const pending = account?.totp_pending_secret;
  if (!pending) return false;
  const issuer = (await jurisdictionSettings(pool)).name;
  if (totpOf(pending, account.email, issuer).validate({ token: code.replace(/\s/g, ''), window: 1 }) === null) return false;
  return repo.enableTotp(pool, staffId, pending);
}

export const listStaff = async (pool: pg.Pool) => (await repo.listStaff(pool)).map(staffView);
export const disableStaff = (pool: pg.Pool, id: number) => repo.disableStaff(pool, id);
export const staffCount = (pool: pg.Pool, role?: Role) => repo.countStaff(pool, role);
