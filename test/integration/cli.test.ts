import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { test } from 'node:test';
import { projectRoot } from '../../src/paths.js';
import { freshDatabase } from '../helpers/db.js';

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string>, opts: { untilStderr?: RegExp; then?: (out: string, pid: number) => Promise<void> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: projectRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    let triggered = false;
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => {
      stderr += c;
      if (opts.untilStderr && !triggered && opts.untilStderr.test(stderr)) {
        triggered = true;
        opts.then!(stderr, child.pid!).then(() => child.kill('SIGINT'), (err) => { child.kill('SIGKILL'); reject(err); });
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const noStack = (s: string) => assert.doesNotMatch(s, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');

test('a bad environment variable stops start-up with one line naming it', async () => {
  const r = await cli(['serve'], { PORT: 'eighty' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^vaxbook: PORT="eighty" is not valid: expected a TCP port number/m);
  noStack(r.stderr);
});

test('an unparseable or unreachable DATABASE_URL is named, without a stack trace', async () => {
  const bad = await cli(['migrate'], { DATABASE_URL: 'postgres//nope' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /DATABASE_URL is not a valid URL/);
  const down = await cli(['migrate'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/vaxbook' });
  assert.equal(down.code, 2);
  assert.match(down.stderr, /Cannot use DATABASE_URL: nothing accepts connections at 127\.0\.0\.1:1/);
  noStack(bad.stderr + down.stderr);
});

test('with DATABASE_URL, serve migrates that server, answers /ready, and stops on SIGINT', async () => {
  const { url, pool } = await freshDatabase({ migrated: false });
  const r = await cli(['serve'], { DATABASE_URL: url, PORT: '0', VAXBOOK_DEMO: 'false', LOG_LEVEL: 'warn', WEB_CONCURRENCY: '2' }, {
    untilStderr: /open (http:\/\/\S+?)\//,
    then: async (out) => {
      const base = /open (http:\/\/\S+?)\//.exec(out)![1];
      const ready = await fetch(`${base}/ready`);
      assert.equal(ready.status, 200);
    },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Applied 1 migration|Applied \d+ migration/);
  assert.match(r.stderr, /2 HTTP worker process\(es\)/);
  assert.match(r.stderr, /SIGINT: stopping vaxbook/);
  const applied = await pool.query('SELECT count(*)::int n FROM schema_migrations');
  assert.ok(applied.rows[0].n >= 1);
});

test('an HTTP worker that dies is replaced while the others keep answering', async () => {
  const { url } = await freshDatabase();
  const r = await cli(['serve'], { DATABASE_URL: url, PORT: '0', VAXBOOK_DEMO: 'false', LOG_LEVEL: 'warn', WEB_CONCURRENCY: '2' }, {
    untilStderr: /open (http:\/\/\S+?)\//,
    then: async (out, primary) => {
      const base = /open (http:\/\/\S+?)\//.exec(out)![1];
      const workers = execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' }).trim().split('\n').map(Number);
      assert.equal(workers.length, 2);
      process.kill(workers[0]!, 'SIGKILL');
      let replaced = false;
      for (let i = 0; i < 100 && !replaced; i++) {
        await new Promise((res) => setTimeout(res, 100));
        const now = execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' }).trim().split('\n').map(Number);
        replaced = now.length === 2 && !now.includes(workers[0]!);
      }
      assert.ok(replaced, 'a replacement worker was started');
      // Connections handed to the dead worker in its last instant fail; after that, every request is answered.
      await new Promise((res) => setTimeout(res, 1_000));
      for (let i = 0; i < 20; i++) assert.equal((await fetch(`${base}/health`)).status, 200);
    },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /HTTP worker 0 stopped unexpectedly/);
});

test('a taken PORT is named', async () => {
  const { url } = await freshDatabase();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    for (const workers of ['1', '2']) {
      const r = await cli(['serve'], { DATABASE_URL: url, PORT: String(port), VAXBOOK_DEMO: 'false', WEB_CONCURRENCY: workers });
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`PORT=${port} is already in use`));
      noStack(r.stderr);
    }
    const r = await cli(['serve'], { DATABASE_URL: url, PORT: String(port), VAXBOOK_DEMO: 'false' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`PORT=${port} is already in use`));
    noStack(r.stderr);
  } finally {
    blocker.close();
  }
});

test('an unknown command or option prints the usage', async () => {
  const r = await cli(['frobnicate'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown command "frobnicate"[\s\S]*usage: vaxbook/);
  const s = await cli(['seed', '--scale', 'galactic'], {});
  assert.equal(s.code, 2);
  assert.match(s.stderr, /--scale must be "demo" or "national"/);
});

test('a roll-out file is stored as a version at start, once; a broken one is named with the field at fault', async () => {
  const { url, pool } = await freshDatabase({ migrated: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-rollout-'));
  const good = path.join(dir, 'rollout.yaml');
  fs.writeFileSync(good, [
    'cohorts:', '  - id: adults', '    name: { en: Adults, fr: Adultes }', '    minAge: 18',
    'phases:', '  - id: all-adults', '    name: { en: Everyone, fr: Tout le monde }', '    cohorts: [adults]', '    regions: all', '    opens: "2021-05-18"', '    doses: primary', ''].join('\n'));
  const env = { DATABASE_URL: url, PORT: '0', VAXBOOK_DEMO: 'false', LOG_LEVEL: 'warn', WEB_CONCURRENCY: '1', VAXBOOK_ROLLOUT_FILE: good };
  for (let run = 0; run < 2; run++) {
    const r = await cli(['serve'], env, { untilStderr: /open (http:\/\/\S+?)\//, then: async () => {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Roll-out rules in force: version 1 /);
  }
  const versions = await pool.query<{ created_by: string }>('SELECT created_by FROM rollout_versions');
  assert.deepEqual(versions.rows.map((x) => x.created_by), ['file:rollout.yaml']);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ cohorts: [{ id: 'adults', name: { en: 'A', fr: 'A' } }], phases: [{ id: 'p', name: { en: 'P', fr: 'P' }, cohorts: ['kids'], regions: 'all', opens: '2021-05-18', doses: 'primary' }] }));
  const r = await cli(['serve'], { ...env, VAXBOOK_ROLLOUT_FILE: bad });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /VAXBOOK_ROLLOUT_FILE: There is no cohort "kids"\. \(at phases\[0\]\.cohorts\)/);
  noStack(r.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
});
