import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { ConfigError } from '../../src/config.js';
import { EmbeddedPostgresServer } from '../../src/db/embedded-server.js';

function tmpRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-emb-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function query(server: EmbeddedPostgresServer, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: server.url() });
  await c.connect();
  try { return await c.query(sql); } finally { await c.end(); }
}

function occupy(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

async function freePort(): Promise<number> {
  const s = await occupy(0);
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('a stopped server starts again with its data kept', async () => {
  const dataRoot = tmpRoot();
  const port = await freePort();
  const a = new EmbeddedPostgresServer({ dataRoot, port });
  await a.start();
  await query(a, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
  await a.stop();
  assert.equal(fs.existsSync(path.join(dataRoot, 'postgres', 'postmaster.pid')), false, 'stopped cleanly');
  const b = new EmbeddedPostgresServer({ dataRoot, port });
  await b.start();
  assert.equal((await query(b, 'SELECT x FROM kept')).rows[0].x, 42);
  await b.stop();
  fs.rmSync(dataRoot, { recursive: true, force: true });
});

test('a stale lock file left by a crash does not prevent a start', async () => {
  const dataRoot = tmpRoot();
  const port = await freePort();
  const a = new EmbeddedPostgresServer({ dataRoot, port });
  await a.start();
  await a.stop();
  // A pid that is certainly not running (beyond the kernel's pid_max default).
  fs.writeFileSync(path.join(dataRoot, 'postgres', 'postmaster.pid'), `4194303\n${path.join(dataRoot, 'postgres')}\n0\n${port}\n\n127.0.0.1\n`);
  const b = new EmbeddedPostgresServer({ dataRoot, port });
  await b.start();
  assert.equal((await query(b, 'SELECT 1 AS one')).rows[0].one, 1);
  await b.stop();
  fs.rmSync(dataRoot, { recursive: true, force: true });
});

test('a server left running on the data directory is adopted, then stopped', async () => {
  const dataRoot = tmpRoot();
  const first = new EmbeddedPostgresServer({ dataRoot, port: await freePort() });
  await first.start();
  await query(first, 'CREATE TABLE survivor (x int)');
  // As if the process that started `first` had crashed: a new process finds it running.
  const second = new EmbeddedPostgresServer({ dataRoot });
  await second.start();
  assert.equal(second.url(), first.url());
  assert.equal((await query(second, `SELECT to_regclass('survivor') IS NOT NULL AS ok`)).rows[0].ok, true);
  await second.stop();
  assert.equal(fs.existsSync(path.join(dataRoot, 'postgres', 'postmaster.pid')), false);
  await first.stop();
  fs.rmSync(dataRoot, { recursive: true, force: true });
});

test('a taken default port moves the server to a free one; an explicitly chosen taken port is a clear error', async () => {
  const dataRoot = tmpRoot();
  const taken = await freePort();
  const blocker = await occupy(taken);
  try {
    const auto = new EmbeddedPostgresServer({ dataRoot, port: taken, portExplicit: false });
    await auto.start();
    assert.notEqual(new URL(auto.url()).port, String(taken));
    await auto.stop();
    const explicit = new EmbeddedPostgresServer({ dataRoot: tmpRoot(), port: taken, portExplicit: true, ephemeral: true });
    await assert.rejects(explicit.start(), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, 'VAXBOOK_PG_PORT');
      assert.match(err.message, /already in use/);
      return true;
    });
  } finally {
    blocker.close();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
});

test('a server another live vaxbook process runs is shared and left running', async () => {
  const dataRoot = tmpRoot();
  const first = new EmbeddedPostgresServer({ dataRoot, port: await freePort() });
  await first.start();
  const { spawn } = await import('node:child_process');
  const otherProcess = spawn('sleep', ['60']);
  fs.writeFileSync(path.join(dataRoot, 'postgres-owner.pid'), String(otherProcess.pid));
  try {
    const second = new EmbeddedPostgresServer({ dataRoot });
    await second.start();
    await second.stop();
    assert.equal((await query(first, 'SELECT 1 AS one')).rows[0].one, 1, 'still running');
  } finally {
    otherProcess.kill();
    await first.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
});
