import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, trustProxySetting } from './config.js';

test('defaults give a usable configuration', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATABASE_URL, undefined);
  assert.equal(c.VAXBOOK_DEMO, true);
  assert.equal(c.LOG_LEVEL, 'info');
});

test('values are parsed from strings', () => {
  const c = loadConfig({ PORT: '8080', VAXBOOK_DEMO: 'false', DB_POOL_SIZE: '5', DATABASE_URL: 'postgres://u:p@db.example:5432/vaxbook' });
  assert.equal(c.PORT, 8080);
  assert.equal(c.VAXBOOK_DEMO, false);
  assert.equal(c.DB_POOL_SIZE, 5);
  assert.equal(c.DATABASE_URL, 'postgres://u:p@db.example:5432/vaxbook');
});

const bad: Array<[Record<string, string>, string, RegExp]> = [
  [{ PORT: 'eighty' }, 'PORT', /PORT="eighty" is not valid: expected a TCP port/],
  [{ PORT: '70000' }, 'PORT', /PORT/],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /DATABASE_URL is not a valid URL/],
  [{ DATABASE_URL: 'mysql://x@h/db' }, 'DATABASE_URL', /must start with postgres:\/\//],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /LOG_LEVEL="loud".*one of fatal/],
  [{ VAXBOOK_DEMO: 'maybe' }, 'VAXBOOK_DEMO', /true or false/],
  [{ VAXBOOK_PG_PORT: '80' }, 'VAXBOOK_PG_PORT', /1024 to 65535/],
  [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE', /DB_POOL_SIZE/],
  [{ VAXBOOK_TRUST_PROXY: 'yes please' }, 'VAXBOOK_TRUST_PROXY', /number of proxies/],
  [{ VAXBOOK_TRUST_PROXY: '10.0.0.0/8, 300.1.1.1' }, 'VAXBOOK_TRUST_PROXY', /"300.1.1.1" is not an address or range/],
  [{ VAXBOOK_TRUST_PROXY: '10.0.0.0/33' }, 'VAXBOOK_TRUST_PROXY', /"10.0.0.0\/33" is not an address or range/],
];

test('VAXBOOK_TRUST_PROXY: off by default; a switch, a number of proxies, or addresses and ranges', () => {
  assert.equal(trustProxySetting(loadConfig({}).VAXBOOK_TRUST_PROXY), false);
  assert.equal(trustProxySetting(loadConfig({ VAXBOOK_TRUST_PROXY: 'true' }).VAXBOOK_TRUST_PROXY), true);
  assert.equal(trustProxySetting(loadConfig({ VAXBOOK_TRUST_PROXY: '2' }).VAXBOOK_TRUST_PROXY), 2);
  assert.equal(trustProxySetting(loadConfig({ VAXBOOK_TRUST_PROXY: '10.0.0.0/8, ::1' }).VAXBOOK_TRUST_PROXY), '10.0.0.0/8, ::1');
});
for (const [env, variable, message] of bad) {
  test(`a bad ${variable} is named in one clear error`, () => {
    assert.throws(() => loadConfig(env), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, variable);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });
}
