#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate, MigrationError } from '../db/migrate.js';
import { seedCommand } from './seed.js';
import { isClusterWorker, serve, serveAsWorker } from './serve.js';
import { reconcile } from '../services/reconcile-service.js';
import { createAdmin } from './create-admin.js';
import { runWorker } from './worker.js';

const USAGE = `usage: vaxbook <command>

commands:
  serve                     start the HTTP service (default); loads the demo province into an empty database
  worker                    deliver e-mail and SMS in this process (run it beside servers started with
                            VAXBOOK_DELIVERY_WORKER=off; several workers may run at once)
  migrate                   apply pending database migrations and exit
  seed --scale national     load the national benchmark data set (~3,000 sites x 90 days)
       [--seed N] [--database NAME] [--replace]
  create-admin --email E --name "N"
                            create an administrator account (the first one, or another); the password is
                            VAXBOOK_NEW_PASSWORD when set, else a random one printed once
  reconcile                 check that every slot counter and summary equals the rows it counts
                            (exit 0: no drift, 1: drift found, listed)
`;

const say = (msg: string) => process.stderr.write(msg + '\n');

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true, strict: true,
    options: {
      scale: { type: 'string' }, seed: { type: 'string' }, database: { type: 'string' },
      replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, email: { type: 'string' }, name: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!['serve', 'worker', 'migrate', 'seed', 'reconcile', 'create-admin'].includes(command)) {
    say(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (command === 'seed') return seedCommand(config, values, say);
  if (command === 'serve' && isClusterWorker()) return serveAsWorker(config, say);

  const db = await openDatabase(config, say, process.env.VAXBOOK_DATA_DIR !== undefined);
  try {
    if (command === 'migrate') {
      const applied = await migrate(db.pool);
      say(applied.length ? `Applied: ${applied.join(', ')}` : 'The database schema is up to date.');
    } else if (command === 'worker') {
      return await runWorker(config, db, say);
    } else if (command === 'create-admin') {
      await migrate(db.pool);
      return await createAdmin(db.pool, values, say);
    } else if (command === 'reconcile') {
      await migrate(db.pool);
      const report = await reconcile(db.pool);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      say(report.ok ? `No drift (${report.seconds.toFixed(1)} s).` : `Drift found: ${report.counterDrift.length} slot(s), ${report.summaryDrift.length} clinic-day summary(ies) (first 100 listed).`);
      return report.ok ? 0 : 1;
    } else {
      await serve(config, db, say);
    }
  } finally {
    const owned = db.embedded?.owned ?? false;
    await db.close();
    if (owned) say('Stopped the embedded PostgreSQL server.');
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
