import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type {} from '@fastify/cookie'; // its request.cookies and reply.setCookie types
import { appendAudit } from '../db/repositories/audit-repository.js';
import { may, type Actor, type Operation, type Place } from '../domain/staff-policy.js';
import { sessionOf, type StaffSession } from '../services/staff-service.js';
import { hasAdminToken } from './admin-auth.js';
import { ApiError } from './errors.js';

/**
 * Staff requests: the session cookie (or, for automation, the administrator
 * token), the CSRF token on every state-changing request, the staff policy,
 * and an audit row for every answer — allowed or denied.
 */

export const STAFF_COOKIE = 'vaxbook_staff';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieSettings { secure: boolean }

export const cookieOptions = (c: CookieSettings, expires?: Date) => ({
  path: '/', httpOnly: true, secure: c.secure, sameSite: 'strict' as const, ...(expires ? { expires } : {}),
});

/** Who is calling: a staff session, or the administrator token (automation, recorded as such). */
export interface Caller { staffId: number | null; email: string; actor: Actor; session: StaffSession | null }

const TOKEN_CALLER: Caller = { staffId: null, email: 'admin-api-token', actor: { role: 'administrator', regionIds: [], clinicIds: [] }, session: null };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = () => new ApiError(401, 'not_signed_in', {
  en: 'Sign in to the staff console first (your session may have expired), or send the administrator token (Authorization: Bearer).',
  fr: 'Connectez-vous d’abord à la console du personnel (votre session a peut-être expiré), ou envoyez le jeton d’administration (Authorization: Bearer).',
});

export function cookieToken(req: FastifyRequest): string | undefined {
  return (req.cookies as Record<string, string | undefined> | undefined)?.[STAFF_COOKIE];
}

/** The caller of a staff request, checked once per request. */
export async function callerOf(req: FastifyRequest, pool: pg.Pool, adminToken: string): Promise<Caller> {
  const known = (req as FastifyRequest & { vbCaller?: Caller }).vbCaller;
  if (known) return known;
  let caller: Caller;
  if (hasAdminToken(req, adminToken)) caller = TOKEN_CALLER;
  else {
    const token = cookieToken(req);
    const session = token ? await sessionOf(pool, token) : undefined;
    if (!session) throw unauthenticated();
    // A cookie rides along on any request to this site; the CSRF token only with pages that read it from our API.
    if (!SAFE.has(req.method)) {
      const given = Buffer.from(String(req.headers[CSRF_HEADER] ?? ''));
      const wanted = Buffer.from(session.csrfToken);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        throw new ApiError(403, 'csrf_token_invalid', {
          en: 'This request did not come from the staff console (missing or wrong X-CSRF-Token). Reload the page and try again.',
          fr: 'Cette requête ne vient pas de la console du personnel (X-CSRF-Token absent ou erroné). Rechargez la page et réessayez.',
        });
      }
    }
    caller = { staffId: session.staffId, email: session.email, actor: session.actor, session };
  }
  (req as FastifyRequest & { vbCaller?: Caller }).vbCaller = caller;
  return caller;
}

/**
 * For a plugin of staff routes: who calls is checked before what they sent, so a request without a session gets
 * 401 (and one without its CSRF token 403), never a 400 that reveals the shape of the operation.
 */
export function signInFirst(app: FastifyInstance, pool: pg.Pool, adminToken: string): void {
  app.addHook('preValidation', async (req) => { await callerOf(req, pool, adminToken); });
}

export interface AuditFacts { personId?: number | null; bookingCode?: string | null; reason?: string | null; detail?: Record<string, unknown> }

/**
 * May the caller do `op` at `place`? Records the answer in the audit log
 * either way, and refuses with 403 when not.
 */
export async function authorize(req: FastifyRequest, pool: pg.Pool, adminToken: string, op: Operation, place: Place, facts: AuditFacts = {}): Promise<Caller> {
  const caller = await callerOf(req, pool, adminToken);
  const allowed = may(caller.actor, op, place);
  await appendAudit(pool, {
    staffId: caller.staffId, staffEmail: caller.email, role: caller.actor.role, action: op, outcome: allowed ? 'allowed' : 'denied',
    personId: facts.personId ?? null, bookingCode: facts.bookingCode ?? null, clinicId: place.clinicId ?? null, regionId: place.regionId ?? null,
    reason: facts.reason ?? null, ip: req.ip, detail: { route: req.routeOptions.url ?? null, method: req.method, ...facts.detail },
  });
  if (!allowed) {
    throw new ApiError(403, 'forbidden', {
      en: 'Your role does not allow this here. Ask an administrator if you need it.',
      fr: 'Votre rôle ne le permet pas ici. Adressez-vous à un administrateur si vous en avez besoin.',
    });
  }
  return caller;
}

export function setSessionCookie(reply: FastifyReply, token: string, expires: Date, c: CookieSettings): void {
  reply.setCookie(STAFF_COOKIE, token, cookieOptions(c, expires));
}

export function clearSessionCookie(reply: FastifyReply, c: CookieSettings): void {
  reply.clearCookie(STAFF_COOKIE, cookieOptions(c));
}
