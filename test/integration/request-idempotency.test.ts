import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { createStaff } from '../../src/services/staff-service.js';
import { baseReferenceData, persons } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/db.js';

// Idempotency-Key on the staff and administration operations (the booking operations have their own tests):
// a call-centre agent whose "save" timed out, or an operator who sends invitations again, changes nothing twice.

const ADMIN = { authorization: 'Bearer request-idempotency-admin-token' }; // regions; notes are signed by a staff session
let pool: pg.Pool;
let app: FastifyInstance;
let personId: number;
type Session = { cookie: string; 'x-csrf-token': string };
let agent: Session;
let otherAgent: Session;

before(async () => {
  ({ pool } = await freshDatabase());
  await baseReferenceData(pool);
  personId = (await persons(pool, 1))[0]!;
  app = await buildApp({ pool, logLevel: 'silent', adminToken: 'request-idempotency-admin-token', staffLoginsPerMinute: 1000 });
  const sessions = await Promise.all(['agent', 'other.agent'].map(async (name) => {
    const email = `${name}@health.example.org`;
    await createStaff(pool, { email, displayName: name, role: 'agent', password: 'a long test password', regionIds: [], clinicIds: [] }, null);
    const login = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { email, password: 'a long test password' } });
    assert.equal(login.statusCode, 200, login.body);
    return { cookie: String(login.headers['set-cookie']).split(';')[0]!, 'x-csrf-token': login.json().csrfToken as string };
  }));
  agent = sessions[0]!;
  otherAgent = sessions[1]!;
});
after(() => app.close());

const notes = async () => Number((await pool.query('SELECT count(*) FROM call_notes WHERE person_id = $1', [personId])).rows[0].count);
const addNote = (headers: Session, note: string, key?: string, person = personId) => app.inject({
  method: 'POST', url: `/api/v1/staff/persons/${person}/notes`, payload: { note },
  headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
});

test('a note sent three times at once with one key is written once, and every answer is the first one', async () => {
  const before = await notes();
  const answers = await Promise.all([1, 2, 3].map(() => addNote(agent, 'Caller asked about dose 2.', 'note-key-0001')));
  assert.deepEqual(answers.map((a) => a.statusCode), [201, 201, 201]);
  assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'the same answer, the same note id');
  assert.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 2);
  assert.equal(await notes(), before + 1);

  const later = await addNote(agent, 'Caller asked about dose 2.', 'note-key-0001');
  assert.equal(later.statusCode, 201);
  assert.equal(later.body, answers[0]!.body);
  assert.equal(await notes(), before + 1);
});

test('the same key with another request is refused naming the header; without a key every request acts', async () => {
  const before = await notes();
  assert.equal((await addNote(agent, 'First wording.', 'note-key-0002')).statusCode, 201);
  const reused = await app.inject({ method: 'POST', url: `/api/v1/staff/persons/${personId}/notes`, payload: { note: 'Other wording.' },
    headers: { ...agent, 'idempotency-key': 'note-key-0002', 'accept-language': 'fr' } });
  assert.equal(reused.statusCode, 422);
  assert.equal(reused.json().code, 'idempotency_key_reused');
  assert.equal(reused.json().field, 'idempotency-key');
  assert.match(reused.json().message, /clé d’idempotence/);
  assert.equal((await addNote(agent, 'No key.')).statusCode, 201);
  assert.equal((await addNote(agent, 'No key.')).statusCode, 201);
  assert.equal(await notes(), before + 3);
});

test('keys belong to their caller: another account reusing the string acts on its own and never sees the first answer', async () => {
  const before = await notes();
  const mine = await addNote(agent, 'Same words.', 'note-key-0003');
  const theirs = await addNote(otherAgent, 'Same words.', 'note-key-0003');
  assert.equal(mine.statusCode, 201);
  assert.equal(theirs.statusCode, 201, theirs.body);
  assert.notEqual(theirs.json().id, mine.json().id);
  assert.equal(theirs.headers['idempotent-replayed'], undefined);
  assert.equal(await notes(), before + 2);
});

test('a refusal is replayed as it was; an operation that acts again when repeated (a region) answers its first 201', async () => {
  const missing = await addNote(agent, 'Nobody.', 'note-key-0004', 987654321);
  assert.equal(missing.statusCode, 404);
  const again = await addNote(agent, 'Nobody.', 'note-key-0004', 987654321);
  assert.equal(again.statusCode, 404);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.json().code, missing.json().code);

  const region = { code: 'IDEM-1', name: 'Idempotent Unit', latitude: 45, longitude: -75 };
  const send = (key?: string) => app.inject({ method: 'POST', url: '/api/v1/staff/regions', payload: region, headers: { ...ADMIN, ...(key ? { 'idempotency-key': key } : {}) } });
  const first = await send('region-key-01');
  assert.equal(first.statusCode, 201, first.body);
  const repeat = await send('region-key-01');
  assert.equal(repeat.statusCode, 201, 'the repeat gets the first answer, not "this code exists"');
  assert.deepEqual(repeat.json(), first.json());
  const unkeyed = await send();
  assert.equal(unkeyed.statusCode, 400, 'without the key, the second create is refused: the code exists');
  assert.equal(unkeyed.json().field, 'code');
});

test('a key whose first request died with its process is taken over once its lease lapses; a running one makes a repeat wait for its answer', async () => {
  // What a killed server leaves: the key claimed, running, no answer.
  const before = await notes();
  const first = await addNote(agent, 'Lease.', 'note-key-0005');
  assert.equal(first.statusCode, 201);
  await pool.query(`UPDATE idempotency_keys SET running_until = now() - interval '1 second', status_code = 0, result = 'null' WHERE key = 'note-key-0005'`);
  const takeover = await addNote(agent, 'Lease.', 'note-key-0005');
  assert.equal(takeover.statusCode, 201);
  assert.equal(takeover.headers['idempotent-replayed'], undefined, 'run again: its first answer was never stored');
  assert.equal(await notes(), before + 2);

  // A first request still running: the repeat waits, then gets the answer stored meanwhile.
  await pool.query(`UPDATE idempotency_keys SET running_until = now() + interval '1 minute', status_code = 0, result = 'null' WHERE key = 'note-key-0005'`);
  const waiting = addNote(agent, 'Lease.', 'note-key-0005');
  await new Promise((r) => setTimeout(r, 300));
  await pool.query(`UPDATE idempotency_keys SET running_until = NULL, status_code = 201, result = $1 WHERE key = 'note-key-0005'`, [takeover.body]);
  const answered = await waiting;
  assert.equal(answered.statusCode, 201);
  assert.equal(answered.headers['idempotent-replayed'], 'true');
  assert.deepEqual(answered.json(), takeover.json());
  assert.equal(await notes(), before + 2);
});

test('the OpenAPI document offers Idempotency-Key on every state-changing operation', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  const without: string[] = [];
  const reads = new Set(['getBooking', 'searchAvailability', 'checkEligibility', 'checkIdentifier', 'validateRollout', 'findPerson',
    'staffLogin', 'staffLogout', 'startTotpEnrolment', 'confirmTotpEnrolment']);
  for (const methods of Object.values<Record<string, { operationId: string; parameters?: Array<{ in: string; name: string }> }>>(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (method === 'get' || reads.has(op.operationId)) continue;
      if (!op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')) without.push(op.operationId);
    }
  }
  assert.deepEqual(without, []);
});

test('the OpenAPI document says a reused Idempotency-Key (422) on every operation that takes one, releaseHold too', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  const without: string[] = [];
  const taking: string[] = [];
  for (const methods of Object.values<Record<string, { operationId: string; parameters?: Array<{ in: string; name: string }>; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>(doc.paths)) {
    for (const op of Object.values(methods)) {
      if (!op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')) continue;
      taking.push(op.operationId);
      if (op.responses['422']?.content?.['application/json']?.schema.$ref !== '#/components/schemas/Error') without.push(op.operationId);
    }
  }
  assert.ok(taking.includes('releaseHold') && taking.includes('createHold'), taking.join());
  assert.deepEqual(without, []);
});
