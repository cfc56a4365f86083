import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ConfigError, trustProxySetting, type Config } from '../config.js';
import { createPool, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { buildApp } from '../http/app.js';
import { loadRolloutFile } from '../services/rollout-service.js';
import { InputError } from '../services/input-error.js';
import { loadDemoProvince } from '../services/data-set-service.js';
import { ensureDemoStaff, type DemoCredential } from '../services/demo-staff-service.js';
import { startSweeper } from '../worker/sweeper.js';
import { channelsFromConfig, deliverySettings, describeChannels } from '../notifications/channels/from-config.js';
import { startDeliveryWorker } from '../notifications/worker.js';

/**
 * `serve`: the primary process migrates, loads the demo province and owns the
 * embedded PostgreSQL server; WEB_CONCURRENCY worker processes (node:cluster,
 * sharing the port) answer HTTP. Node runs JavaScript on one core per process,
 * so one worker per core keeps search latency flat under load. With
 * WEB_CONCURRENCY=1 the primary serves itself.
 */

type Say = (message: string) => void;
type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; variable?: string; message: string };

const WORKER_ENV = 'VAXBOOK_CLUSTER_WORKER';
// A query of a request that the database leaves unanswered this long (a server frozen or cut off) gets a 503.
const REQUEST_QUERY_TIMEOUT_MS = 15_000;

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}

async function prepare(config: Config, db: Database, say: Say): Promise<DemoCredential[]> {
  const applied = await migrate(db.pool);
  if (applied.length) say(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
  if (config.VAXBOOK_DEMO) {
    say('Checking demo data…');
    const t0 = Date.now();
    const demo = await loadDemoProvince(db.pool, config.VAXBOOK_SEED);
    say(demo.loaded
      ? `Loaded the demo province: ${demo.clinics} clinics, ${demo.slots.toLocaleString('en')} slots from ${demo.firstDay}, and its roll-out (${((Date.now() - t0) / 1000).toFixed(1)} s).`
      : `Demo data: not loaded now, ${demo.reason}.`);
  }
  const demoStaff = config.VAXBOOK_DEMO ? await ensureDemoStaff(db.pool) : [];
  if (config.VAXBOOK_ROLLOUT_FILE) {
    try {
      const version = await loadRolloutFile(db.pool, config.VAXBOOK_ROLLOUT_FILE);
      say(`Roll-out rules in force: version ${version} (VAXBOOK_ROLLOUT_FILE=${config.VAXBOOK_ROLLOUT_FILE}).`);
    } catch (err) {
      if (err instanceof InputError) throw new ConfigError('VAXBOOK_ROLLOUT_FILE', `VAXBOOK_ROLLOUT_FILE: ${err.messages.en}${err.field.startsWith('VAXBOOK_ROLLOUT_FILE.') ? ` (at ${err.field.slice('VAXBOOK_ROLLOUT_FILE.'.length)})` : ''}`);
      throw err;
    }
  }
  return demoStaff;
}

/**
 * Builds the app on `pool` (requests) and listens; with a `background` pool (one process of the service) it also
 * sweeps and delivers messages on that one, whose queries may take longer than a request's may. Resolves with the
 * port and a stop function that drains it.
 */
async function startHttp(config: Config, pool: pg.Pool, adminToken: string, background: pg.Pool | null) {
  const app = await buildApp({ pool, logLevel: config.LOG_LEVEL, adminToken, holdMinutes: config.VAXBOOK_HOLD_MINUTES, trustProxy: trustProxySetting(config.VAXBOOK_TRUST_PROXY),
    publicUrl: config.VAXBOOK_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}/`, staffCookies: { secure: config.VAXBOOK_STAFF_COOKIE_SECURE },
    portalSettings: { brandColour: config.VAXBOOK_BRAND_COLOUR, logoUrl: config.VAXBOOK_LOGO_URL ?? null,
      mapTiles: config.VAXBOOK_MAP_TILES === 'none' ? null : config.VAXBOOK_MAP_TILES, mapAttribution: config.VAXBOOK_MAP_ATTRIBUTION } });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError('PORT', `PORT=${config.PORT} is already in use by another program: choose a free port (e.g. PORT=3001).`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError('HOST', `HOST=${config.HOST} is not an address of this machine.`);
    throw err;
  }
  const stopSweeper = background ? startSweeper(background, (err) => app.log.warn({ err }, 'background upkeep failed')) : () => {};
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // One process delivers messages (the one that sweeps); more can run as `vaxbook worker`.
  let delivery: { stop(): Promise<void> } | undefined;
  if (background && config.VAXBOOK_DELIVERY_WORKER === 'in-process') {
    const channels = channelsFromConfig(config);
    delivery = await startDeliveryWorker({ pool: background, channels, settings: deliverySettings(config, config.VAXBOOK_PUBLIC_URL ?? `http://${config.HOST}:${port}/`),
      onError: (err, what) => app.log.warn({ err }, `delivery: ${what} failed`) });
    const close = delivery.stop;
    delivery.stop = async () => { await close(); channels.email.close(); };
  }
  return { port, stop: async () => { stopSweeper(); await delivery?.stop(); await app.close(); } };
}

/**
 * Resolves on the first SIGINT/SIGTERM. npm and tsx relay the terminal's Ctrl-C,
 * so one keypress can arrive twice: only a second signal a moment later forces the exit.
 */
function untilStopSignal(say: Say, force: () => void): Promise<string> {
  return new Promise((resolve) => {
    let since = 0;
    const on = (signal: string) => {
      if (since) {
        if (Date.now() - since < 1500) return;
        say('Forced exit.');
        force();
        process.exit(1);
      }
      since = Date.now();
      resolve(signal);
    };
    process.on('SIGINT', () => on('SIGINT'));
    process.on('SIGTERM', () => on('SIGTERM'));
  });
}

function announce(config: Config, port: number, db: Database, adminToken: string, workers: number, demoStaff: DemoCredential[], say: Say): void {
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  say(`\nvaxbook is running: open http://${shown}:${port}/  (API docs: http://${shown}:${port}/docs)`);
  say(`${db.embedded ? `Database: embedded PostgreSQL, data in ${db.embedded.dataRoot}` : 'Database: DATABASE_URL'}; ${workers} HTTP worker process(es).`);
  say(`Messages: ${describeChannels(config)}.`);
  if (!config.VAXBOOK_ADMIN_TOKEN) say(`Admin API token for this run (set VAXBOOK_ADMIN_TOKEN to choose one): ${adminToken}`);
  if (demoStaff.length) {
    say(`Staff consoles: http://${shown}:${port}/staff  — demo accounts (they exist only with the demo data):`);
    for (const c of demoStaff) say(`  ${c.role.padEnd(15)} ${c.email.padEnd(30)} ${c.password}   (${c.scope})`);
  }
  say('Press Ctrl-C to stop.\n');
}

export async function serve(config: Config, db: Database, say: Say): Promise<void> {
  const demoStaff = await prepare(config, db, say);
  const adminToken = config.VAXBOOK_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const count = config.WEB_CONCURRENCY;
  if (count === 1) {
    // Requests get their own pool, with a bound on an unanswered query; loading the demo data above had none.
    const pool = createPool(db.url, config.DB_POOL_SIZE, { queryTimeoutMs: REQUEST_QUERY_TIMEOUT_MS });
    const http = await startHttp(config, pool, adminToken, db.pool).catch(async (err: unknown) => { await pool.end(); throw err; });
    // Listen for Ctrl-C before saying we are up: a stop right after the announcement must drain, not kill.
    const stopped = untilStopSignal(say, () => db.embedded?.signalStop());
    announce(config, http.port, db, adminToken, 1, demoStaff, say);
    const signal = await stopped;
    say(`\n${signal}: stopping vaxbook…`);
    await http.stop();
    await pool.end();
    return;
  }

  const workers = new Set<Worker>();
  let stopping = false;
  let firstFailure: WorkerMessage | undefined;
  const fork = (index: number) => {
    const worker = cluster.fork({
      [WORKER_ENV]: '1', VAXBOOK_WORKER_INDEX: String(index), DATABASE_URL: db.url, VAXBOOK_ADMIN_TOKEN: adminToken,
    });
    workers.add(worker);
    const started = Date.now();
    worker.on('exit', (code) => {
      workers.delete(worker);
      if (!stopping && !firstFailure) {
        // A worker that dies at once would die again at once: wait a moment rather than spin.
        const wait = Date.now() - started < 5_000 ? 2_000 : 0;
        say(`HTTP worker ${index} stopped unexpectedly (exit ${code}); starting another${wait ? ' in 2 s' : ''}.`);
        setTimeout(() => { if (!stopping) fork(index).catch(() => {}); }, wait);
      }
    });
    return new Promise<number>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'listening') resolve(m.port);
        if (m.type === 'failed') { firstFailure ??= m; reject(m.variable ? new ConfigError(m.variable, m.message) : new Error(m.message)); }
      });
    });
  };
  const stopAll = async () => {
    stopping = true;
    const exited = [...workers].map((w) => new Promise((r) => w.once('exit', r)));
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(exited);
  };
  let port: number;
  try {
    port = (await Promise.all(Array.from({ length: count }, (_, i) => fork(i))))[0]!;
  } catch (err) {
    await stopAll();
    throw err;
  }
  const stopped = untilStopSignal(say, () => db.embedded?.signalStop());
  announce(config, port, db, adminToken, count, demoStaff, say);
  const signal = await stopped;
  say(`\n${signal}: stopping vaxbook…`);
  await stopAll();
}

/** A cluster worker: its own pool on the primary's database, HTTP on the shared port. */
export async function serveAsWorker(config: Config, say: Say): Promise<number> {
  const pool = createPool(config.DATABASE_URL!, config.DB_POOL_SIZE, { queryTimeoutMs: REQUEST_QUERY_TIMEOUT_MS });
  // Worker 0 also sweeps and delivers messages, on a small pool of its own without the requests' query timeout.
  const background = process.env.VAXBOOK_WORKER_INDEX === '0' ? createPool(config.DATABASE_URL!, 4) : null;
  const endPools = async () => { await pool.end(); await background?.end(); };
  const send = (m: WorkerMessage) => process.send?.(m);
  let http: Awaited<ReturnType<typeof startHttp>>;
  try {
    http = await startHttp(config, pool, config.VAXBOOK_ADMIN_TOKEN!, background);
  } catch (err) {
    send(err instanceof ConfigError ? { type: 'failed', variable: err.variable, message: err.message } : { type: 'failed', message: String((err as Error).message ?? err) });
    await endPools();
    return 2;
  }
  send({ type: 'listening', port: http.port });
  await untilStopSignal(say, () => {});
  await http.stop();
  await endPools();
  return 0;
}
