import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { loadDemoProvince } from '../../src/services/data-set-service.js';
import pg from 'pg';
import { createPool } from '../../src/db/database.js';
import { newConfirmationCode } from '../../src/domain/confirmation-code.js';
import { freshDatabase } from '../helpers/db.js';

let app: FastifyInstance;
const ADMIN_TOKEN = 'http-test-admin-token-0123456789';
const logLines: string[] = [];

before(async () => {
  const { pool } = await freshDatabase();
  await loadDemoProvince(pool, 42, new Date('2026-03-10T15:00:00Z'));
  const logStream = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
  app = await buildApp({ pool, logLevel: 'info', logStream, adminToken: ADMIN_TOKEN });
});
after(() => app.close());

test('GET /health and /ready answer 200 on a migrated database', async () => {
  assert.equal((await app.inject('/health')).statusCode, 200);
  const ready = await app.inject('/ready');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { ready: true, database: 'ok', pendingMigrations: [] });
});

test('GET /ready is 503 while migrations are pending', async () => {
  const { pool } = await freshDatabase({ migrated: false });
  const bare = await buildApp({ pool, logLevel: 'silent' });
  const r = await bare.inject('/ready');
  assert.equal(r.statusCode, 503);
  assert.equal(r.json().ready, false);
  assert.ok(r.json().pendingMigrations.length > 0);
  await bare.close();
});

test('a database that is down, or a pool exhausted by a rush, gives 503 with Retry-After (the portal counts down and retries), never a 500', async () => {
  const down = createPool('postgres://vaxbook@127.0.0.1:1/vaxbook', 2); // nothing listens on port 1
  const cut = await buildApp({ pool: down, logLevel: 'silent' });
  const r = await cut.inject({ url: '/api/v1/regions', headers: { 'accept-language': 'fr' } });
  assert.equal(r.statusCode, 503, r.body);
  assert.equal(r.headers['retry-after'], '2');
  assert.equal(r.json().code, 'service_unavailable');
  assert.equal(r.json().message, r.json().messages.fr);
  assert.doesNotMatch(r.body, /ECONNREFUSED|127\.0\.0\.1/);
  assert.equal((await cut.inject('/ready')).statusCode, 503);
  await cut.close();

  // Every connection busy for longer than a request may wait for one.
  const { url } = await freshDatabase();
  const tight = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 200 });
  const busy = await tight.connect();
  const rush = await buildApp({ pool: tight, logLevel: 'silent' });
  const waited = await rush.inject('/api/v1/regions');
  assert.equal(waited.statusCode, 503, waited.body);
  assert.equal(waited.json().code, 'service_unavailable');
  busy.release();
  assert.equal((await rush.inject('/api/v1/regions')).statusCode, 200, 'served again once a connection is free');
  await rush.close();
  await tight.end();
});

test('a server that stops answering costs one connection wait, not one per query: later requests get their 503 at once, and service resumes by itself', { timeout: 60_000 }, async (t) => {
  const { url } = await freshDatabase();
  const target = new URL(url);
  // A proxy in front of the real server that can play a hung server (as when PostgreSQL is frozen or the network
  // drops packets): it takes connections and never answers.
  let hung = true;
  let frozen = false; // connections already open stop carrying the server's answers
  let attempts = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((socket) => {
    attempts++;
    sockets.add(socket);
    socket.on('error', () => {});
    if (hung) return;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    socket.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => { if (!frozen) socket.write(chunk); });
    socket.on('close', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxied = new URL(url);
  proxied.port = String((proxy.address() as AddressInfo).port);
  const pool = createPool(proxied.toString(), 4, { connectionTimeoutMillis: 300, retryMs: 2_000, queryTimeoutMs: 300 });
  const cut = await buildApp({ pool, logLevel: 'silent' });
  t.after(async () => {
    // Sockets first: a query still waiting on them then fails, and the app and pool can close.
    for (const s of sockets) s.destroy();
    proxy.close();
    await cut.close();
    await pool.end();
  });

  const first = await cut.inject('/api/v1/regions');
  assert.equal(first.statusCode, 503, first.body);
  assert.equal(attempts, 1);
  // A look-up needs the database three times (two guessing limits, then the booking): one wait was enough.
  const lookup = await cut.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: newConfirmationCode(), dateOfBirth: '1960-04-02' }, headers: { 'accept-language': 'fr' } });
  assert.equal(lookup.statusCode, 503, lookup.body);
  assert.equal(lookup.json().code, 'service_unavailable');
  assert.equal(lookup.json().message, lookup.json().messages.fr);
  assert.equal(lookup.headers['retry-after'], '2');
  assert.equal((await cut.inject('/ready')).statusCode, 503);
  assert.equal(attempts, 1, 'no request waited on the hung server again before the retry time');

  // After the retry time the breaker tries the server by itself (no request waits for that), and stays open.
  await new Promise((r) => setTimeout(r, 2_500));
  assert.ok(attempts >= 2, 'the breaker tried again by itself');
  assert.equal((await cut.inject('/api/v1/regions')).statusCode, 503);
  // Once the server answers, its next try closes the breaker, and everything is served.
  hung = false;
  await new Promise((r) => setTimeout(r, 2_500));
  const back = await cut.inject('/api/v1/regions');
  assert.equal(back.statusCode, 200, back.body);
  assert.equal((await cut.inject('/ready')).statusCode, 200);

  // The server goes silent on the connections already open: a query's wait is bounded too, and the connection it
  // waited on is dropped.
  frozen = true;
  const silent = await cut.inject({ method: 'POST', url: '/api/v1/bookings/lookup', payload: { confirmationCode: newConfirmationCode(), dateOfBirth: '1960-04-02' } });
  assert.equal(silent.statusCode, 503, silent.body);
  assert.equal(silent.headers['retry-after'], '2');
  assert.equal(silent.json().code, 'service_unavailable');
  assert.equal((await cut.inject('/ready')).statusCode, 503);
  frozen = false;
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal((await cut.inject('/ready')).statusCode, 200, 'served again once the server answers');
});

test('the OpenAPI document lists every operation with a unique operationId', async () => {
  const r = await app.inject('/openapi.json');
  assert.equal(r.statusCode, 200);
  const doc = r.json();
  assert.match(doc.openapi, /^3\./);
  const ids: string[] = [];
  for (const [p, methods] of Object.entries<Record<string, { operationId?: string }>>(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      assert.ok(op.operationId, `${m.toUpperCase()} ${p} has an operationId`);
      ids.push(op.operationId);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  for (const id of ['getHealth', 'getReadiness', 'getMetrics', 'listClinics', 'getClinic', 'listRegions', 'listProducts']) assert.ok(ids.includes(id), id);
  assert.equal((await app.inject('/docs/')).statusCode, 200);
  // What the server fills in when left out is documented as optional; what it cannot do without stays required.
  const search = doc.paths['/api/v1/availability/search'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(search.required, ['dateOfBirth']);
  assert.equal(search.properties.radiusKm.default, 25);
  const clinics = doc.paths['/api/v1/clinics'].get.parameters.find((p: { name: string }) => p.name === 'limit');
  assert.equal(clinics.required, false);
  const noLimit = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { latitude: 43.7, longitude: -79.4, dateOfBirth: '1980-01-01' } });
  assert.equal(noLimit.statusCode, 200, noLimit.body);
});

test('every operation that takes a body documents its refusal as too large (413) or not JSON (415)', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  const missing: string[] = [];
  let withBody = 0;
  for (const methods of Object.values<Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>(doc.paths)) {
    for (const op of Object.values(methods)) {
      if (!op.requestBody) continue;
      withBody++;
      for (const status of ['413', '415']) {
        if (op.responses[status]?.content?.['application/json']?.schema.$ref !== '#/components/schemas/Error') missing.push(`${op.operationId} ${status}`);
      }
    }
  }
  assert.ok(withBody > 30, `${withBody} operations with a body`);
  assert.deepEqual(missing, []);
  // A body-less operation does not claim them.
  assert.equal(doc.paths['/api/v1/clinics'].get.responses['415'], undefined);
});

test('every operation documents its success, and what it answers with', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  const missing: string[] = [];
  for (const methods of Object.values<Record<string, { operationId: string; responses?: Record<string, { content?: Record<string, unknown> }> }>>(doc.paths)) {
    for (const op of Object.values(methods)) {
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (!ok.length) missing.push(`${op.operationId}: no success`);
      for (const [status, r] of ok) if (status !== '204' && !Object.keys(r.content ?? {}).length) missing.push(`${op.operationId} ${status}: no content type`);
    }
  }
  assert.deepEqual(missing, []);
  // A file's media type is its success's alone: a refusal of the same operation is a JSON Error.
  const pdf = doc.paths['/api/v1/staff/letter-batches/{id}/letters.pdf'].get.responses;
  assert.deepEqual(pdf['200'].content['application/pdf'].schema, { type: 'string', format: 'binary' });
  assert.deepEqual(Object.keys(pdf['404'].content), ['application/json']);
  assert.ok(doc.paths['/api/v1/admin/invitation-batches/{batchId}/codes.csv'].get.responses['200'].content['text/csv']);
});

test('the document says what comes from around the routes: 503 and 429 with Retry-After, a key still at work, a replayed answer, ?lang=', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  const missing: string[] = [];
  for (const methods of Object.values<Record<string, { operationId: string; parameters?: Array<{ name: string; in: string }>; responses: Record<string, { headers?: Record<string, unknown> }> }>>(doc.paths)) {
    for (const op of Object.values(methods)) {
      if (!['getHealth', 'getMetrics'].includes(op.operationId) && !op.responses['503']) missing.push(`${op.operationId} 503`);
      for (const status of ['429', '503']) if (op.responses[status] && op.operationId !== 'getReadiness' && !op.responses[status].headers?.['retry-after']) missing.push(`${op.operationId} ${status} Retry-After`);
      if (!op.parameters?.some((p) => p.name === 'lang' && p.in === 'query')) missing.push(`${op.operationId} ?lang=`);
      if (op.parameters?.some((p) => p.name === 'idempotency-key')) {
        if (!op.responses['409']?.headers?.['retry-after']) missing.push(`${op.operationId} 409 in progress`);
        for (const [status, r] of Object.entries(op.responses)) if (/^2/.test(status) && !r.headers?.['idempotent-replayed']) missing.push(`${op.operationId} ${status} Idempotent-Replayed`);
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.deepEqual(doc.paths['/api/v1/bookings'].post.security, [{}, { bearer: [] }], 'anyone books; the administrator token books as the call centre');
  // Closed sets are enumerated, and the booking engine's refusal codes are named.
  const search = doc.paths['/api/v1/availability/search'].post.responses['200'].content['application/json'].schema;
  assert.ok(search.properties.explanation.properties.reason.enum.includes('invitation_refused'));
  assert.match(JSON.stringify(doc.paths['/api/v1/bookings'].post.responses['201']), /"status":\{"type":"string","enum":\["booked","checked_in","completed","cancelled","no_show"\]\}/);
  for (const code of ['slot_full', 'hold_expired', 'pairing_required', 'idempotency_key_reused']) assert.match(doc.paths['/api/v1/bookings'].post.description, new RegExp(code));
});

test('every staff and admin operation documents how it is called and its 401 and 403', async () => {
  const doc = (await app.inject('/openapi.json')).json();
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'csrfToken', 'staffSession']);
  const missing: string[] = [];
  let signedIn = 0;
  for (const [path, methods] of Object.entries<Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>>(doc.paths)) {
    if (!/^\/api\/v1\/(staff|admin)\//.test(path) || path === '/api/v1/staff/login') continue;
    for (const op of Object.values(methods)) {
      if (!op.responses) continue;
      signedIn++;
      if (!op.security?.length) missing.push(`${op.operationId} security`);
      for (const status of ['401', '403']) if (!op.responses[status]) missing.push(`${op.operationId} ${status}`);
    }
  }
  assert.ok(signedIn > 30, `${signedIn} staff and admin operations`);
  assert.deepEqual(missing, []);
  assert.ok(doc.paths['/api/v1/staff/login'].post.responses['401'], 'a wrong password is documented');
  assert.equal(doc.paths['/api/v1/clinics'].get.responses['401'], undefined, 'public operations need no sign-in');
});

test('GET /metrics is Prometheus text with per-route request counts and latencies', async () => {
  await app.inject('/api/v1/clinics/1');
  await app.inject('/api/v1/clinics/2');
  const r = await app.inject('/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain/);
  assert.match(r.body, /http_requests_total\{method="GET",route="\/api\/v1\/clinics\/:clinicId",status_code="200"\} 2/);
  assert.match(r.body, /http_request_duration_seconds_bucket\{.*route="\/api\/v1\/clinics\/:clinicId"/);
  assert.match(r.body, /process_resident_memory_bytes/);
});

test('clinics are paginated with a cursor that never skips or repeats', async () => {
  const seen: number[] = [];
  let cursor: string | undefined;
  do {
    const r = await app.inject({ url: '/api/v1/clinics', query: { limit: '70', ...(cursor ? { cursor } : {}) } });
    assert.equal(r.statusCode, 200);
    const body = r.json();
    seen.push(...body.items.map((c: { id: number }) => c.id));
    cursor = body.nextCursor;
  } while (cursor);
  const total = (await app.inject({ url: '/api/v1/clinics', query: { limit: '500' } })).json().items.length;
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
});

test('a clinics cursor we never gave out is refused by name, never read as the first page', async () => {
  for (const cursor of ['garbage', 'AAAA', Buffer.from('-5').toString('base64url'), Buffer.from('1e99').toString('base64url')]) {
    const r = await app.inject({ url: '/api/v1/clinics', query: { cursor, limit: '2' } });
    assert.equal(r.statusCode, 400, `${cursor}: ${r.body}`);
    assert.equal(r.json().field, 'cursor');
  }
});

test('the language of a message follows Accept-Language by weight, then the language the request names', async () => {
  const lang = async (headers: Record<string, string>, payload?: object) => {
    const r = payload
      ? await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', headers, payload })
      : await app.inject({ url: '/api/v1/clinics/999999', headers });
    const body = r.json();
    assert.notEqual(body.messages.en, body.messages.fr);
    return body.message === body.messages.fr ? 'fr' : 'en';
  };
  assert.equal(await lang({ 'accept-language': 'en;q=0.1, fr;q=0.9' }), 'fr');
  assert.equal(await lang({ 'accept-language': 'de, fr' }), 'fr');
  assert.equal(await lang({ 'accept-language': 'en-GB;q=0.2, fr-CA' }), 'fr');
  assert.equal(await lang({ 'accept-language': 'fr;q=0.5, en' }), 'en');
  assert.equal(await lang({ 'accept-language': 'de' }), 'en');
  // No header: a booking's first person's language, or a search's, says which.
  const lookup = { confirmationCode: 'AAAA-BBBB-CC', dateOfBirth: '1960-04-02' };
  assert.equal(await lang({}, lookup), 'en');
  const search = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { place: 'x', dateOfBirth: '1960-04-02', language: 'fr' } });
  assert.equal(search.statusCode, 400);
  assert.equal(search.json().message, search.json().messages.fr);
  assert.equal(await lang({ 'accept-language': 'en' }, { ...lookup, language: 'fr' }), 'en', 'a header the caller sent wins');
});

test('bad input gets a 400 naming the field, in the caller’s language, without internals', async () => {
  const en = await app.inject({ url: '/api/v1/clinics', query: { limit: '100000' } });
  assert.equal(en.statusCode, 400);
  assert.equal(en.json().code, 'invalid_input');
  assert.equal(en.json().field, 'limit');
  const fr = await app.inject({ url: '/api/v1/clinics/abc', headers: { 'accept-language': 'fr-CA,fr;q=0.9' } });
  assert.equal(fr.statusCode, 400);
  assert.equal(fr.json().field, 'clinicId');
  assert.match(fr.json().message, /champ/);
  const missing = await app.inject('/api/v1/clinics/999999');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'clinic_not_found');
  const nowhere = await app.inject('/nope');
  assert.equal(nowhere.statusCode, 404);
  for (const r of [en, fr, missing, nowhere]) assert.doesNotMatch(r.body, /at .*\.ts:\d+|stack/i);
});

test('a malformed or oversized body, or the wrong kind, is refused in the caller’s language with a stable code', async () => {
  const fr = { 'accept-language': 'fr', 'content-type': 'application/json' };
  const broken = await app.inject({ method: 'POST', url: '/api/v1/availability/search', headers: fr, payload: '{"place":' });
  assert.equal(broken.statusCode, 400);
  assert.equal(broken.json().code, 'invalid_json');
  assert.equal(broken.json().message, "Le corps de la requête n'est pas du JSON valide.");
  const huge = await app.inject({ method: 'POST', url: '/api/v1/availability/search', headers: fr, payload: JSON.stringify({ place: 'x'.repeat(1_100_000) }) });
  assert.equal(huge.statusCode, 413);
  assert.equal(huge.json().code, 'body_too_large');
  assert.match(huge.json().message, /trop volumineux/);
  const xml = await app.inject({ method: 'POST', url: '/api/v1/availability/search', headers: { ...fr, 'content-type': 'application/xml' }, payload: '<a/>' });
  assert.equal(xml.statusCode, 415);
  assert.equal(xml.json().code, 'unsupported_media_type');
  // Ajv's own words, in French too.
  const range = await app.inject({ url: '/api/v1/clinics', query: { limit: '100000' }, headers: { 'accept-language': 'fr' } });
  assert.equal(range.json().message, 'Le champ « limit » (querystring) est invalide : doit être <= 500.');
  assert.equal(range.json().messages.en, 'The querystring field "limit" must be <= 500.');
  // A value of several forms says each; a pattern is described, not shown.
  const dose = await app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: { place: 'Barrie', dateOfBirth: '1980-01-01', dose: 'third' } });
  assert.equal(dose.json().field, 'dose');
  assert.match(dose.json().messages.en, /must be "booster"/);
  assert.doesNotMatch(dose.json().messages.fr, /constante/);
  const mobile = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { slots: [{ dose: 1, slotId: 1 }], persons: [{ identifier: '1234567890', dateOfBirth: '1980-01-01', givenName: 'A', familyName: 'B', mobile: 'call me' }] } });
  assert.equal(mobile.json().field, 'persons.0.mobile');
  assert.doesNotMatch(mobile.json().messages.en, /\^|\[0-9/);
  assert.match(mobile.json().messages.en, /must be a phone number of 7 to 15 digits/);
});

test('JSON is the only body taken: the same JSON sent as text/plain is a 415 like a form, never read as a string', async () => {
  const search = JSON.stringify({ latitude: 43.7, longitude: -79.4, dateOfBirth: '1980-01-01' });
  for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/availability/search', headers: { 'content-type': type, 'accept-language': 'fr' }, payload: search });
    assert.equal(r.statusCode, 415, `${type}: ${r.body}`);
    assert.equal(r.json().code, 'unsupported_media_type');
    assert.equal(r.json().message, r.json().messages.fr);
  }
  const json = await app.inject({ method: 'POST', url: '/api/v1/availability/search', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: search });
  assert.equal(json.statusCode, 200, json.body);
});

test('an empty body under a JSON Content-Type is no body: an operation without one runs, one that needs a body names it', async () => {
  // What many clients send on every request, a DELETE too; with and without Content-Length: 0.
  for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', 'content-length': '0' }]) {
    const release = await app.inject({ method: 'DELETE', url: '/api/v1/holds/00000000-0000-4000-8000-000000000000', headers });
    assert.equal(release.statusCode, 404, release.body);
    assert.equal(release.json().code, 'hold_not_found', 'the operation ran');
  }
  for (const headers of [{ 'content-type': 'application/json', 'accept-language': 'fr' }, { 'accept-language': 'fr' }]) {
    const lookup = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', headers, payload: '' });
    assert.equal(lookup.statusCode, 400, lookup.body);
    assert.equal(lookup.json().code, 'invalid_input');
    assert.equal(lookup.json().field, 'body');
    assert.match(lookup.json().message, /corps de la requête est absent/);
  }
  const text = await app.inject({ method: 'POST', url: '/api/v1/bookings/lookup', headers: { 'content-type': 'application/json' }, payload: '"AAAA"' });
  assert.equal(text.statusCode, 400);
  assert.equal(text.json().field, 'body', 'a body of the wrong kind names the body');
});

test('a request refused before routing, or before Fastify sees it, gets the same Error body: a path that cannot be decoded, headers too large', async () => {
  const bad = await app.inject({ url: '/api/v1/clinics/%ZZ', headers: { 'accept-language': 'fr' } });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().code, 'invalid_url');
  assert.match(bad.json().message, /mal formée/);
  assert.ok(bad.json().requestId);
  assert.match((await app.inject({ url: '/api/v1/clinics/%ZZ?lang=fr' })).json().message, /mal formée/, '?lang= before routing too');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(40_000)}\r\n\r\n`));
    let got = '';
    socket.on('data', (d) => { got += d; }).on('end', () => resolve(got)).on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 431 /);
  const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
  assert.equal(body.code, 'headers_too_large');
  assert.match(body.messages.fr, /trop volumineux/);
});

test('a path that exists is a 405 with Allow for another method, whatever its parameters; an unknown path stays a 404', async () => {
  const cases: Array<[string, string, string]> = [
    ['GET', '/api/v1/bookings', 'POST'],
    ['GET', '/api/v1/holds', 'POST'],
    ['PUT', '/api/v1/availability/search', 'POST'],
    ['POST', '/api/v1/holds/00000000-0000-4000-8000-000000000000', 'DELETE'],
    ['DELETE', '/api/v1/clinics/3/days/2026-03-20/slots?lang=fr', 'GET, HEAD'],
    ['PATCH', '/api/v1/staff/clinics/1/supply', 'GET, HEAD, PUT'],
    ['OPTIONS', '/api/v1/staff/clinics/1', 'PATCH'],
  ];
  for (const [method, url, allow] of cases) {
    const r = await app.inject({ method: method as 'GET', url, headers: { 'accept-language': 'fr' } });
    assert.equal(r.statusCode, 405, `${method} ${url}: ${r.body}`);
    assert.equal(r.headers.allow, allow, `${method} ${url}`);
    assert.equal(r.json().code, 'method_not_allowed');
    assert.equal(r.json().message, r.json().messages.fr);
    assert.equal(r.json().messages.en, `${method} is not allowed at ${url.split('?')[0]}. Allowed: ${allow}.`);
  }
  for (const [method, url] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/clinics/3/extra'], ['GET', '/api/v1/holdings'], ['DELETE', '/api/v1/holds/a/b']]) {
    const r = await app.inject({ method: method as 'GET', url });
    assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    assert.equal(r.json().code, 'not_found');
    assert.equal(r.headers.allow, undefined);
  }
  assert.equal((await app.inject({ method: 'HEAD', url: '/api/v1/clinics/3' })).statusCode, 200, 'HEAD goes where GET goes');
});

test('the bulk operations take bodies as large as their schemas allow (5,000 dose records: 1.2 MB)', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ identifier: `99999${String(i).padStart(5, '0')}`, dateOfBirth: '1950-01-01',
    givenName: 'Abcdefghij', familyName: 'Abcdefghijklmno', doses: [{ date: '2021-05-01', product: 'no-such-vaccine' }, { date: '2021-06-01', product: 'no-such-vaccine' }] }));
  const payload = JSON.stringify({ rows });
  assert.ok(payload.length > 1024 * 1024, `${payload.length} bytes: more than Fastify's default limit`);
  const r = await app.inject({ method: 'POST', url: '/api/v1/admin/dose-records/import', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload });
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  assert.equal(r.json().dosesAdded, 0);
  assert.ok(r.json().problems.length >= 5000, 'every row reported (unknown vaccine or identifier)');
});

test('logs are JSON with request ids and carry no query strings or personal headers', async () => {
  logLines.length = 0;
  await app.inject({ url: '/api/v1/clinics?limit=1&dob=1950-02-03', headers: { 'x-request-id': 'req-abcdef12', cookie: 'session=secret', authorization: 'Bearer secret' } });
  await app.inject({ method: 'POST', url: '/api/v1/staff/bookings/WK7Q-M3PA-R2/cancel', payload: { reason: 'caller asked' } });
  const text = logLines.join('');
  assert.match(text, /"reqId":"req-abcdef12"/);
  assert.doesNotMatch(text, /1950-02-03|secret|WK7Q/);
  assert.match(text, /"path":"\/api\/v1\/staff\/bookings\/:code\/cancel"/, 'the route is logged, not the code in it');
  for (const line of logLines) JSON.parse(line);
});
