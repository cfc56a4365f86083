#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate, MigrationError } from '../db/migrate.js';
import { buildApp } from '../http/app.js';
import { loadDemoProvince } from '../services/data-set-service.js';
import { seedCommand } from './seed.js';
import { reconcile } from '../services/reconcile-service.js';
import { startSweeper } from '../worker/sweeper.js';

const USAGE = `usage: vaxbook <command>

commands:
  serve                     start the HTTP service (default); loads the demo province into an empty database
  migrate                   apply pending database migrations and exit
  seed --scale national     load the national benchmark data set (~3,000 sites x 90 days)
       [--seed N] [--database NAME] [--replace]
  reconcile                 check that every slot counter and summary equals the rows it counts
                            (exit 0: no drift, 1: drift found, listed)
`;

const say = (msg: string) => process.stderr.write(msg + '\n');

async function serve(config: Config, db: Database): Promise<void> {
  const applied = await migrate(db.pool);
  if (applied.length) say(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
  if (config.VAXBOOK_DEMO) {
    say('Checking demo data…');
    const t0 = Date.now();
    const demo = await loadDemoProvince(db.pool, config.VAXBOOK_SEED);
    say(demo.loaded
      ? `Loaded the demo province: ${demo.clinics} clinics, ${demo.slots.toLocaleString('en')} slots from ${demo.firstDay} (${((Date.now() - t0) / 1000).toFixed(1)} s).`
      : `Demo data: not loaded now, ${demo.reason}.`);
  }
  const adminToken = config.VAXBOOK_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const app = await buildApp({ pool: db.pool, logLevel: config.LOG_LEVEL, adminToken, holdMinutes: config.VAXBOOK_HOLD_MINUTES });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError('PORT', `PORT=${config.PORT} is already in use by another program: choose a free port (e.g. PORT=3001).`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError('HOST', `HOST=${config.HOST} is not an address of this machine.`);
    throw err;
  }
  const stopSweeper = startSweeper(db.pool, (err) => app.log.warn({ err }, 'background upkeep failed'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  say(`\nvaxbook is running: open http://${shown}:${port}/  (API docs: http://${shown}:${port}/docs)`);
  say(db.embedded ? `Database: embedded PostgreSQL, data in ${db.embedded.dataRoot}` : 'Database: DATABASE_URL');
  if (!config.VAXBOOK_ADMIN_TOKEN) say(`Admin API token for this run (set VAXBOOK_ADMIN_TOKEN to choose one): ${adminToken}`);
  say('Press Ctrl-C to stop.\n');

  await new Promise<void>((resolve) => {
    let stoppingSince = 0;
    const stop = (signal: string) => {
      // npm and tsx relay the terminal's Ctrl-C, so one keypress can arrive twice:
      // only a second Ctrl-C a moment later forces the exit.
      if (stoppingSince) {
        if (Date.now() - stoppingSince < 1500) return;
        say('Forced exit.');
        db.embedded?.signalStop();
        process.exit(1);
      }
      stoppingSince = Date.now();
      say(`\n${signal}: stopping vaxbook…`);
      stopSweeper();
      app.close().finally(resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true, strict: true,
    options: {
      scale: { type: 'string' }, seed: { type: 'string' }, database: { type: 'string' },
      replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!['serve', 'migrate', 'seed', 'reconcile'].includes(command)) {
    say(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (command === 'seed') return seedCommand(config, values, say);

  const db = await openDatabase(config, say, process.env.VAXBOOK_DATA_DIR !== undefined);
  try {
    if (command === 'migrate') {
      const applied = await migrate(db.pool);
      say(applied.length ? `Applied: ${applied.join(', ')}` : 'The database schema is up to date.');
    } else if (command === 'reconcile') {
      await migrate(db.pool);
      const report = await reconcile(db.pool);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      say(report.ok ? `No drift (${report.seconds.toFixed(1)} s).` : `Drift found: ${report.counterDrift.length} slot(s), ${report.summaryDrift.length} clinic-day summary(ies) (first 100 listed).`);
      return report.ok ? 0 : 1;
    } else {
      await serve(config, db);
    }
  } finally {
    await db.close();
    if (db.embedded) say('Stopped the embedded PostgreSQL server.');
  }
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError || err instanceof MigrationError) {
    say(`vaxbook: ${err.message}`);
    process.exit(2);
  }
  if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    say(`vaxbook: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  say(`vaxbook could not continue: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) say(err.stack ?? '');
  process.exit(1);
});
