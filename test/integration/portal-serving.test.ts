import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { PORTAL_DIR } from '../../src/http/portal.js';
import { freshDatabase } from '../helpers/db.js';

const built = fs.existsSync(path.join(PORTAL_DIR, 'index.html'));
let app: FastifyInstance;
before(async () => {
  const { pool } = await freshDatabase();
  app = await buildApp({ pool, logLevel: 'silent', portalSettings: { brandColour: '#004080', logoUrl: null, mapTiles: null, mapAttribution: '' } });
});
after(() => app.close());

test('the portal page is revalidated on every visit, its hashed files are kept a year', { skip: !built && 'the portal is not built (npm run build:web)' }, async () => {
  for (const url of ['/', '/manage']) {
    const page = await app.inject({ url });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
  }
  const html = (await app.inject({ url: '/' })).body;
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  assert.ok(assets.length >= 2, 'a script and a stylesheet');
  for (const a of assets) {
    const r = await app.inject({ url: a });
    assert.equal(r.statusCode, 200, a);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  }
  assert.equal((await app.inject({ url: '/assets/nope-123.js' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/v1/nope' })).json().code, 'not_found', 'the API keeps its JSON 404');
  // The portal's pages and files are read-only: another method is told which ones they take.
  for (const url of ['/manage', '/staff/clinic', assets[0]!]) {
    const post = await app.inject({ method: 'POST', url });
    assert.equal(post.statusCode, 405, url);
    assert.equal(post.headers.allow, 'GET, HEAD', url);
    assert.equal(post.json().code, 'method_not_allowed');
  }
});

test('the portal entry JavaScript stays within 200 KB gzipped (Leaflet loads only with a map)', { skip: !built && 'the portal is not built' }, () => {
  const html = fs.readFileSync(path.join(PORTAL_DIR, 'index.html'), 'utf8');
  const entry = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(entry, 'the entry script');
  const size = gzipSync(fs.readFileSync(path.join(PORTAL_DIR, entry))).length;
  assert.ok(size <= 200 * 1024, `entry is ${Math.round(size / 1024)} KB gzipped`);
  assert.doesNotMatch(fs.readFileSync(path.join(PORTAL_DIR, entry), 'utf8'), /leaflet-container/, 'Leaflet is a separate chunk');
});

test('branding comes from configuration', async () => {
  const r = await app.inject({ url: '/api/v1/portal' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().brandColour, '#004080');
  assert.equal(r.json().mapTiles, null);
});
