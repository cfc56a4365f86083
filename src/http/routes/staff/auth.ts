import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { sharedLimiter } from '../../../db/rate-limit-store.js';
import { appendAudit } from '../../../db/repositories/audit-repository.js';
import { ROLES } from '../../../domain/staff-policy.js';
import * as staff from '../../../services/staff-service.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Nullable } from '../../schemas.js';
import { callerOf, clearSessionCookie, cookieToken, setSessionCookie, type CookieSettings } from '../../staff-auth.js';

export const StaffSchema = Type.Object({
  id: Type.Integer(), email: Type.String(), displayName: Type.String(), role: Type.String({ description: ROLES.join(', ') }),
  regionIds: Type.Array(Type.Integer()), clinicIds: Type.Array(Type.Integer()), totpEnabled: Type.Boolean(), disabled: Type.Boolean(), createdAt: Type.String(),
});

const SessionSchema = Type.Object({
  staff: Type.Object({ id: Nullable(Type.Integer()), email: Type.String(), displayName: Type.String(), role: Type.String(),
    regionIds: Type.Array(Type.Integer()), clinicIds: Type.Array(Type.Integer()), totpEnabled: Type.Boolean() }),
  csrfToken: Type.String({ description: 'send as X-CSRF-Token on every state-changing staff request' }),
  expiresAt: Type.String(),
});

const REFUSALS = {
  bad_credentials: { en: 'The e-mail address or password is not right.', fr: "L'adresse courriel ou le mot de passe est erroné." },
  totp_required: { en: 'Enter the 6-digit code from your authenticator app.', fr: "Saisissez le code à 6 chiffres de votre application d'authentification." },
  totp_invalid: { en: 'That code is not right or has expired. Enter the current code.', fr: "Ce code est erroné ou expiré. Saisissez le code actuel." },
};

export const staffAuthRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string; cookies: CookieSettings; loginsPerMinute?: number }> = async (app, { pool, adminToken, cookies, loginsPerMinute }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Guessing passwords from one address is slowed here; an account is locked after repeated failures whatever the address.
  const perClient = sharedLimiter(pool, { keyPrefix: 'staff-login', points: loginsPerMinute ?? 20, duration: 60 });

  r.post('/api/v1/staff/login', {
    schema: {
      operationId: 'staffLogin', tags: ['staff'], summary: 'Signs a staff member in: sets an HTTP-only session cookie and returns the CSRF token',
      body: Type.Object({ email: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }), totp: Type.Optional(Type.String({ maxLength: 10 })) }),
      response: { 200: SessionSchema, ...errorResponses, 401: Type.Ref('Error'), 423: Type.Ref('Error'), 429: Type.Ref('Error') },
    },
  }, async (req, reply) => {
    try {
      await perClient.consume(req.ip);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      reply.header('retry-after', String(seconds));
      throw new ApiError(429, 'too_many_attempts', { en: `Too many sign-in attempts. Wait ${seconds} seconds.`, fr: `Trop de tentatives de connexion. Patientez ${seconds} secondes.` });
    }
    const outcome = await staff.login(pool, req.body, req.ip);
    await appendAudit(pool, {
      staffId: outcome.ok ? outcome.staff.id : outcome.staffId ?? null, staffEmail: req.body.email.trim().toLowerCase().slice(0, 200), role: outcome.ok ? outcome.staff.role : null,
      action: 'staff.login', outcome: outcome.ok ? 'allowed' : 'denied', ip: req.ip, detail: outcome.ok ? null : { refusal: outcome.refusal },
    });
    if (!outcome.ok) {
      if (outcome.refusal === 'locked') {
        const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - Date.now()) / 60_000));
        throw new ApiError(423, 'account_locked', {
          en: `Too many failed sign-ins: this account is locked for ${minutes} more minute(s).`,
          fr: `Trop d'échecs de connexion : ce compte est verrouillé encore ${minutes} minute(s).`,
        }, undefined, { lockedUntil: outcome.until.toISOString() });
      }
      throw new ApiError(401, outcome.refusal, REFUSALS[outcome.refusal], outcome.refusal === 'bad_credentials' ? 'password' : 'totp');
    }
    setSessionCookie(reply, outcome.token, outcome.expiresAt, cookies);
    const s = outcome.staff;
    return { staff: { id: s.id, email: s.email, displayName: s.displayName, role: s.role, regionIds: s.regionIds, clinicIds: s.clinicIds, totpEnabled: s.totpEnabled },
      csrfToken: outcome.csrfToken, expiresAt: outcome.expiresAt.toISOString() };
  });

  r.get('/api/v1/staff/session', {
    schema: { operationId: 'getStaffSession', tags: ['staff'], summary: 'Who is signed in, and the CSRF token for this session', response: { 200: SessionSchema, ...errorResponses } },
  }, async (req) => {
    const c = await callerOf(req, pool, adminToken);
    if (!c.session) throw new ApiError(400, 'no_session', { en: 'The administrator token has no session.', fr: "Le jeton d'administration n'a pas de session." });
    const s = c.session;
    return { staff: { id: s.staffId, email: s.email, displayName: s.displayName, role: s.actor.role, regionIds: [...s.actor.regionIds], clinicIds: [...s.actor.clinicIds], totpEnabled: s.totpEnabled },
      csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
  });

  r.post('/api/v1/staff/logout', {
    schema: { operationId: 'staffLogout', tags: ['staff'], summary: 'Ends the session on the server and clears the cookie', response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    const c = await callerOf(req, pool, adminToken); // CSRF-checked: a forged page cannot sign people out
    const token = cookieToken(req);
    if (token) await staff.logout(pool, token);
    await appendAudit(pool, { staffId: c.staffId, staffEmail: c.email, role: c.actor.role, action: 'staff.logout', outcome: 'allowed', ip: req.ip });
    clearSessionCookie(reply, cookies);
    return reply.code(204).send(null);
  });

  r.post('/api/v1/staff/session/totp', {
    schema: {
      operationId: 'startTotpEnrolment', tags: ['staff'], summary: 'A new authenticator secret (otpauth:// URI); in force once a code from it is confirmed',
      description: 'Takes no Idempotency-Key: a replayed answer would have to keep the secret; asking again issues another secret, to be confirmed like the first.',
      response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }), ...errorResponses },
    },
  }, async (req) => {
    const c = await callerOf(req, pool, adminToken);
    if (!c.session) throw new ApiError(400, 'no_session', { en: 'Sign in as a person to use a second factor.', fr: 'Connectez-vous en votre nom pour utiliser un second facteur.' });
    return staff.startTotp(pool, c.session.staffId, c.session.email);
  });

  r.post('/api/v1/staff/session/totp/confirm', {
    schema: {
      operationId: 'confirmTotpEnrolment', tags: ['staff'], summary: 'Turns the second factor on with a current code',
      description: 'Takes no Idempotency-Key: confirming again with a current code leaves the second factor on, as the first time.',
      body: Type.Object({ code: Type.String({ maxLength: 10 }) }), response: { 200: Type.Object({ totpEnabled: Type.Boolean() }), ...errorResponses },
    },
  }, async (req) => {
    const c = await callerOf(req, pool, adminToken);
    if (!c.session || !(await staff.confirmTotp(pool, c.session.staffId, req.body.code))) {
      throw new ApiError(400, 'totp_invalid', REFUSALS.totp_invalid, 'code');
    }
    await appendAudit(pool, { staffId: c.staffId, staffEmail: c.email, role: c.actor.role, action: 'staff.totpEnabled', outcome: 'allowed', ip: req.ip });
    return { totpEnabled: true };
  });
};
