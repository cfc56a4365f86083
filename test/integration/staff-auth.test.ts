import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import * as OTPAuth from 'otpauth';
import { buildApp } from '../../src/http/app.js';
import { createStaff } from '../../src/services/staff-service.js';
import { baseReferenceData } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/db.js';

let app: FastifyInstance;
let pool: pg.Pool;
const token = 'test-admin-token-0123456789';

before(async () => {
  ({ pool } = await freshDatabase());
  await baseReferenceData(pool);
  app = await buildApp({ pool, logLevel: 'silent', adminToken: token, staffLoginsPerMinute: 1000 });
  await createStaff(pool, { email: 'Nina@Health.example.org', displayName: 'Nina', role: 'agent', password: 'correct horse battery' }, null);
});
after(() => app.close());

const login = (email: string, password: string, totp?: string) =>
  app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { email, password, ...(totp ? { totp } : {}) } });
const cookieOf = (r: { headers: Record<string, unknown> }) => String(r.headers['set-cookie']).split(';')[0]!;

test('sign-in sets an HTTP-only, Secure, SameSite=Strict cookie; the session is known on the server and ends there', async () => {
  const r = await login('nina@health.example.org', 'correct horse battery');
  assert.equal(r.statusCode, 200, r.body);
  const set = String(r.headers['set-cookie']);
  assert.match(set, /^vaxbook_staff=[\w-]{40,};/);
  for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Expires=']) assert.ok(set.includes(flag), `${flag} in ${set}`);
  const { csrfToken } = r.json();
  const cookie = cookieOf(r);
  const me = await app.inject({ method: 'GET', url: '/api/v1/staff/session', headers: { cookie } });
  assert.equal(me.json().staff.role, 'agent');
  assert.equal(me.json().csrfToken, csrfToken);
  // The database holds a hash of the token, never the token.
  const stored = await pool.query(`SELECT encode(token_hash, 'hex') AS h FROM staff_sessions`);
  assert.ok(!stored.rows.some((x: { h: string }) => cookie.includes(x.h)));

  const forged = await app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: { cookie } });
  assert.equal(forged.statusCode, 403, 'no CSRF token: refused');
  assert.equal(forged.json().code, 'csrf_token_invalid');
  const out = await app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
  assert.equal(out.statusCode, 204);
  const after = await app.inject({ method: 'GET', url: '/api/v1/staff/session', headers: { cookie } });
  assert.equal(after.statusCode, 401, 'revoked on the server: the old cookie is worthless');
});

test('wrong passwords: the same answer for unknown e-mails; five in a row lock the account for a while, whatever the password after', async () => {
  await createStaff(pool, { email: 'lock@health.example.org', displayName: 'Lock', role: 'agent', password: 'the right password' }, null);
  const unknown = await login('nobody@health.example.org', 'whatever it is');
  assert.equal(unknown.statusCode, 401);
  const wrong = await login('lock@health.example.org', 'not the password');
  assert.deepEqual([wrong.statusCode, wrong.json().code, wrong.json().message], [401, unknown.json().code, unknown.json().message]);
  // Parallel guesses are counted in the database, one statement each: none slips past the limit.
  const burst = await Promise.all(Array.from({ length: 6 }, () => login('lock@health.example.org', 'still not it')));
  assert.ok(burst.some((r) => r.statusCode === 423));
  const right = await login('lock@health.example.org', 'the right password');
  assert.equal(right.statusCode, 423, 'locked: even the right password waits');
  assert.match(right.json().message, /locked for \d+ more minute/);
  await pool.query(`UPDATE staff_accounts SET locked_until = now() - interval '1 second' WHERE email = 'lock@health.example.org'`);
  assert.equal((await login('lock@health.example.org', 'the right password')).statusCode, 200, 'the lock ends by itself');
});

test('a second factor: enrolled with a confirmed code, then required at every sign-in', async () => {
  await createStaff(pool, { email: 'totp@health.example.org', displayName: 'T', role: 'administrator', password: 'another long password' }, null);
  const first = await login('totp@health.example.org', 'another long password');
  const cookie = cookieOf(first);
  const csrf = first.json().csrfToken;
  const start = await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp', headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(start.statusCode, 200, start.body);
  assert.match(start.json().uri, /^otpauth:\/\/totp\//);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(start.json().secret) });
  const bad = await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp/confirm', headers: { cookie, 'x-csrf-token': csrf }, payload: { code: '000000' === totp.generate() ? '111111' : '000000' } });
  assert.equal(bad.statusCode, 400);
  const ok = await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp/confirm', headers: { cookie, 'x-csrf-token': csrf }, payload: { code: totp.generate() } });
  assert.equal(ok.statusCode, 200, ok.body);
  const needs = await login('totp@health.example.org', 'another long password');
  assert.deepEqual([needs.statusCode, needs.json().code, needs.json().field], [401, 'totp_required', 'totp']);
  assert.equal((await login('totp@health.example.org', 'another long password', totp.generate())).statusCode, 200);
});

test('a new enrolment leaves the second factor in force until a code from the new secret is confirmed', async () => {
  await createStaff(pool, { email: 'renew@health.example.org', displayName: 'R', role: 'administrator', password: 'another long password' }, null);
  const session = await login('renew@health.example.org', 'another long password');
  const headers = { cookie: cookieOf(session), 'x-csrf-token': session.json().csrfToken };
  const enrol = async () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(
    (await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp', headers })).json().secret) });
  const old = await enrol();
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp/confirm', headers, payload: { code: old.generate() } })).statusCode, 200);
  const renewed = await enrol();
  const meanwhile = await login('renew@health.example.org', 'another long password');
  assert.deepEqual([meanwhile.statusCode, meanwhile.json().code], [401, 'totp_required'], 'starting an enrolment does not switch the factor off');
  assert.equal((await login('renew@health.example.org', 'another long password', old.generate())).statusCode, 200, 'the old code still works');
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp/confirm', headers, payload: { code: old.generate() } })).statusCode, 400,
    'a code of the old secret does not confirm the new one');
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/staff/session/totp/confirm', headers, payload: { code: renewed.generate() } })).statusCode, 200);
  assert.equal((await login('renew@health.example.org', 'another long password', renewed.generate())).statusCode, 200);
  const oldAfter = await login('renew@health.example.org', 'another long password', old.generate());
  assert.deepEqual([oldAfter.statusCode, oldAfter.json().code], [401, 'totp_invalid'], 'the replaced secret no longer signs in');
});

test('accounts: an administrator creates them (bad input names the field); disabling one ends its sessions at once', async () => {
  const admin = { authorization: `Bearer ${token}` };
  const bad = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin, payload: { email: 'n@x.org', displayName: 'N', role: 'vaccinator', password: 'long enough password' } });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'clinicIds']);
  const short = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin, payload: { email: 'n@x.org', displayName: 'N', role: 'agent', password: 'short' } });
  assert.deepEqual([short.statusCode, short.json().field], [400, 'password']);
  const role = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin, payload: { email: 'n@x.org', displayName: 'N', role: 'nurse', password: 'long enough password' } });
  assert.deepEqual([role.statusCode, role.json().field], [400, 'role']);
  const made = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin, payload: { email: 'gone@x.org', displayName: 'Gone', role: 'agent', password: 'long enough password' } });
  assert.equal(made.statusCode, 201, made.body);
  const session = await login('gone@x.org', 'long enough password');
  const cookie = cookieOf(session);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/staff/session', headers: { cookie } })).statusCode, 200);
  const agentTries = await app.inject({ method: 'GET', url: '/api/v1/staff/accounts', headers: { cookie } });
  assert.equal(agentTries.statusCode, 403, 'an agent does not manage accounts');
  assert.equal((await app.inject({ method: 'POST', url: `/api/v1/staff/accounts/${made.json().id}/disable`, headers: admin })).statusCode, 204);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/staff/session', headers: { cookie } })).statusCode, 401);
  assert.equal((await login('gone@x.org', 'long enough password')).statusCode, 401);
});

test('the audit log records sign-ins and refusals, and nothing can change or remove an entry', async () => {
  const log = await app.inject({ method: 'GET', url: '/api/v1/staff/audit?limit=500', headers: { authorization: `Bearer ${token}` } });
  const items = log.json().items as Array<{ action: string; outcome: string; staffEmail: string }>;
  assert.ok(items.some((x) => x.action === 'staff.login' && x.outcome === 'denied' && x.staffEmail === 'nobody@health.example.org'));
  assert.ok(items.some((x) => x.action === 'staff.manage' && x.outcome === 'denied'), 'the agent’s refused attempt');
  await assert.rejects(pool.query(`UPDATE audit_log SET outcome = 'allowed'`), /append-only/);
  await assert.rejects(pool.query(`DELETE FROM audit_log`), /append-only/);
  await assert.rejects(pool.query(`TRUNCATE audit_log`), /append-only/);
});
