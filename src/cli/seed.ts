import cliProgress from 'cli-progress';
import { ConfigError, type Config } from '../config.js';
import { ensureDatabase, openDatabase, withDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import * as seeds from '../db/repositories/seed-repository.js';
import { loadNationalDataSet, loadDemoProvince } from '../services/data-set-service.js';

interface SeedArgs { scale?: string; seed?: string; database?: string; replace?: boolean }

/**
 * `seed --scale demo|national`. The national data set goes into its own
 * database (vaxbook_national on the embedded server) so benchmarks never
 * overwrite the demo province people are using.
 */
export async function seedCommand(config: Config, args: SeedArgs, say: (m: string) => void): Promise<number> {
  const scale = args.scale ?? 'demo';
  if (scale !== 'demo' && scale !== 'national') throw new ConfigError('--scale', `--scale must be "demo" or "national" (got "${scale}").`);
  const seed = args.seed === undefined ? config.VAXBOOK_SEED : Number(args.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('--seed', `--seed must be a whole number (got "${args.seed}").`);
  if (args.database !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(args.database)) {
    throw new ConfigError('--database', '--database must be a lower-case PostgreSQL database name (letters, digits, underscores).');
  }

  let url = config.DATABASE_URL;
  const dbName = args.database ?? (scale === 'national' ? 'vaxbook_national' : undefined);
  if (url && args.database) {
    url = withDatabase(url, args.database);
  }
  const base = await openDatabase({ ...config, DATABASE_URL: url, DB_POOL_SIZE: 4 }, say);
  let db = base;
  try {
    if (!config.DATABASE_URL && dbName) {
      // Same embedded server, another database.
      await base.pool.end();
      db = await openDatabase({ ...config, DATABASE_URL: await ensureDatabase(base.url, dbName), DB_POOL_SIZE: 4 }, say);
    }
    await migrate(db.pool);
    if (scale === 'demo') {
      const r = await loadDemoProvince(db.pool, seed);
      say(r.loaded ? `Loaded the demo province: ${r.clinics} clinics, ${r.slots} slots.` : `Nothing loaded: ${r.reason}.`);
      return 0;
    }
    if ((await seeds.countClinics(db.pool)) > 0 && !args.replace && !(await seeds.dataSetLoaded(db.pool, 'national'))) {
      say('This database already holds clinics that are not the national data set; add --replace to overwrite them.');
      return 2;
    }
    say(`Loading the national data set into ${dbName ?? 'DATABASE_URL'} (seed ${seed})…`);
    const bar = new cliProgress.SingleBar({
      format: 'slots {bar} {percentage}% | {slots} slots | chunk {value}/{total} | {duration}s',
      noTTYOutput: true, notTTYSchedule: 10_000, stream: process.stderr,
    }, cliProgress.Presets.shades_classic);
    const t0 = Date.now();
    let started = false;
    const r = await loadNationalDataSet(db.pool, seed, (p) => {
      if (!started) { bar.start(p.total, 0, { slots: 0 }); started = true; }
      bar.update(p.done, { slots: p.slots.toLocaleString('en') });
    });
    bar.stop();
    const seconds = (Date.now() - t0) / 1000;
    const size = await seeds.databaseSize(db.pool);
    const slots = await seeds.countSlots(db.pool);
    say(`National data set: ${r.clinics} sites, ${slots.toLocaleString('en')} slots from ${r.firstDay}, in ${seconds.toFixed(0)} s; database size ${size.pretty}.`);
    process.stdout.write(JSON.stringify({ scale, sites: r.clinics, slots, seconds: Math.round(seconds), databaseBytes: size.bytes }) + '\n');
    return 0;
  } finally {
    await db.close();
    if (db !== base) await base.embedded?.stop();
  }
}
