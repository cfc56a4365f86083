/**
 * Booking benchmark: `npm run bench:booking`.
 *
 *   (a) spread   POST /api/v1/bookings, every request a random dose-1/dose-2 slot pair and a new person
 *   (b) hot      the same, every request on the same two slots (capacity 30,000)
 *   (c) ceiling  pgbench running the same SQL as one booking (vaxbook_create_booking), no HTTP, no Node
 *   (d) search   POST /api/v1/availability/search on the national data set (only with BENCH_NATIONAL_URL)
 *
 * The app runs in a child process (its own event loop), the load generator here, PostgreSQL in a
 * throwaway embedded server (or TEST_DATABASE_URL / DATABASE_URL, where it creates vaxbook_bench and
 * vaxbook_bench_template). Every run starts from a fresh copy of the fixture, and the invariants
 * (slot counters = the rows they count, no slot over capacity) are checked after each. Traffic goes
 * to 127.0.0.1 only; every loop is bounded in time and in count; the script stops by itself.
 * It prints a table, then, as its very last line, a one-line JSON summary.
 *
 * Settings (environment):
 *   BENCH_DURATION_S (15)  BENCH_WARMUP_S (3)  BENCH_CONNECTIONS (48)  BENCH_POOL_SIZE (16, the app's DB_POOL_SIZE per worker)
 *   BENCH_WEB_CONCURRENCY (the app's WEB_CONCURRENCY: HTTP worker processes; default the app's own)
 *   BENCH_PGBENCH_CLIENTS (the app's connections and its pool size, the better of the two is the ceiling)
 *   BENCH_NATIONAL_URL (postgres URL of a database holding the national data set)
 *   BENCH_SEARCH_REQUESTS (2000)  BENCH_SEARCH_CONCURRENCY (1: the latency the target is judged on)
 *   BENCH_SEARCH_LOAD_CONCURRENCY (4: the same searches again, several at a time, reported beside it)
 *   BENCH_DELIVERY_WORKER (off: messages are queued with each booking, not sent; in-process: the server sends them too)
 *   BENCH_ANALYZE (true; false: no ANALYZE after the warm-up, to see the cold start of an empty database)
 *   BENCH_PG_SETTINGS (e.g. "synchronous_commit=off,shared_buffers=256MB": extra settings of the throwaway server only)
 *   BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": Node options of the app's processes, to profile it)
 *
 * Each run also reports where the CPU went (cores used by the app, by PostgreSQL, by the load generator
 * and by anything else on the machine), from /proc: the three share two cores.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPool, withDatabase } from '../src/db/database.js';
import { EmbeddedPostgresServer, freePort } from '../src/db/embedded-server.js';
import { migrate, pendingMigrations } from '../src/db/migrate.js';
import { insertReferenceData, insertSlotsForSessions } from '../src/db/repositories/seed-repository.js';
import { projectRoot } from '../src/paths.js';
import { DEMO_PRODUCTS } from '../src/seed/catalogue.js';
import { withCheckDigits } from '../src/domain/identifiers.js';
import { canadianTowns } from '../src/seed/gazetteer.js';
import type { ClinicSeed, ProvinceSeed } from '../src/seed/province.js';

// ---------------------------------------------------------------------------------------------
// Settings

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a whole number from ${min} to ${max}.`);
  }
  return n;
}

const DURATION_S = intSetting('BENCH_DURATION_S', 15, 1, 120);
const WARMUP_S = intSetting('BENCH_WARMUP_S', 3, 0, 30);
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 48, 1, 256);
const POOL_SIZE = intSetting('BENCH_POOL_SIZE', 16, 1, 100);
const SEARCH_REQUESTS = intSetting('BENCH_SEARCH_REQUESTS', 2000, 1, 20_000);
const SEARCH_CONCURRENCY = intSetting('BENCH_SEARCH_CONCURRENCY', 1, 1, 64);
const SEARCH_LOAD_CONCURRENCY = intSetting('BENCH_SEARCH_LOAD_CONCURRENCY', 4, 1, 64);
const PGBENCH_CLIENTS: number[] = process.env.BENCH_PGBENCH_CLIENTS
  ? process.env.BENCH_PGBENCH_CLIENTS.split(',').map((x) => {
    const n = Number(x.trim());
    if (!Number.isInteger(n) || n < 1 || n > 180) throw new Error('BENCH_PGBENCH_CLIENTS: a comma-separated list of whole numbers from 1 to 180.');
    return n;
  })
  : [...new Set([CONNECTIONS, POOL_SIZE])];
const NATIONAL_URL = process.env.BENCH_NATIONAL_URL || undefined;
const ANALYZE_AFTER_WARMUP = !/^(false|0|no|off)$/i.test(process.env.BENCH_ANALYZE ?? 'true');
const PG_SETTINGS: Record<string, string> = Object.fromEntries((process.env.BENCH_PG_SETTINGS ?? '').split(',').filter((x) => x.trim()).map((kv) => {
  const m = /^\s*([a-z_.]+)\s*=\s*(\S+)\s*$/.exec(kv);
  if (!m) throw new Error(`BENCH_PG_SETTINGS: "${kv}" is not name=value.`);
  return [m[1]!, m[2]!];
}));

/** A hard stop for the whole script, whatever happens. */
const WATCHDOG_MS = 20 * 60_000;
/** No single load run sends more than this many requests (the time bound usually ends it first). */
const MAX_REQUESTS_PER_RUN = 500_000;

// The fixture.
const TIME_ZONE = 'America/Toronto';
const CLINICS = 20;
const DOSE1_DAYS = [2, 10] as const; // days ahead
const DOSE2_DAYS = [60, 70] as const; // 50–68 days after dose 1: inside the 21-day minimum / 56-day recommended window
const SLOT_MINUTES = 10;
const SESSION_HOURS = ['08:00', '20:00'] as const; // 72 slots a session
const SLOT_CAPACITY = 25; // a run at 2,000 bookings/s for 18 s puts under 3 on the average dose-1 slot: far from full
const HOT_CAPACITY = 30_000; // smallint: at most 32,767
const HOT_MAX_BOOKINGS = 29_000; // the hot run stops before the hot slots could fill
const BENCH_DB = 'vaxbook_bench';
const TEMPLATE_DB = 'vaxbook_bench_template';

// ---------------------------------------------------------------------------------------------
// Small helpers

const say = (line = '') => process.stdout.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}


// Where the CPU goes, from /proc (Linux): seconds of user + system time.
const CLOCK_TICKS = (() => { const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }); return Number(r.stdout?.trim()) || 100; })();

function procStat(pid: number): { ppid: number; seconds: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  } catch { return undefined; }
}

/** CPU seconds of a process and its children: PostgreSQL's postmaster and backends, the app and its HTTP workers. */
function serverSeconds(postmaster: number): number {
  let total = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && (Number(name) === postmaster || st.ppid === postmaster)) total += st.seconds;
  }
  return total;
}

/** Busy CPU seconds of the whole machine. */
function machineSeconds(): number | undefined {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / CLOCK_TICKS;
  } catch { return undefined; }
}

interface CpuSample { at: number; app?: number; pg?: number; self: number; pgbench?: number; machine?: number }
interface CpuUse { app: number | null; pg: number | null; loadgen: number | null; other: number | null }

function cpuSample(pids: { app?: number; postmaster?: number; pgbench?: number }): CpuSample | undefined {
  if (!fs.existsSync('/proc/stat')) return undefined;
  const u = process.cpuUsage();
  return {
    at: performance.now(),
    app: pids.app ? serverSeconds(pids.app) : undefined,
    pg: pids.postmaster ? serverSeconds(pids.postmaster) : undefined,
    pgbench: pids.pgbench ? procStat(pids.pgbench)?.seconds : undefined,
    self: (u.user + u.system) / 1e6,
    machine: machineSeconds(),
  };
}

/** Cores used on average between two samples by the app, PostgreSQL, the load generator (this process or pgbench), and the rest. */
function cpuUse(a: CpuSample | undefined, b: CpuSample | undefined): CpuUse | undefined {
  if (!a || !b) return undefined;
  const wall = (b.at - a.at) / 1000;
  const d = (x?: number, y?: number) => (x === undefined || y === undefined ? null : (y - x) / wall);
  const app = d(a.app, b.app);
  const pg = d(a.pg, b.pg);
  const loadgen = a.pgbench !== undefined ? d(a.pgbench, b.pgbench) : d(a.self, b.self);
  const machine = d(a.machine, b.machine);
  const other = machine === null ? null : Math.max(0, machine - (app ?? 0) - (pg ?? 0) - (loadgen ?? 0) - (a.pgbench !== undefined ? d(a.self, b.self) ?? 0 : 0));
  return { app, pg, loadgen, other };
}

const fmtCpu = (c: CpuUse | undefined) => (c ? [c.app, c.pg, c.loadgen, c.other].map((x) => (x === null ? '—' : x.toFixed(2))).join(' / ') : '—');

/** Everything to undo on exit, newest first. */
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
function onCleanup(name: string, run: () => Promise<void>): () => void {
  const entry = { name, run };
  cleanups.unshift(entry);
  return () => { const i = cleanups.indexOf(entry); if (i >= 0) cleanups.splice(i, 1); };
}
async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const c = cleanups.shift()!;
    try { await c.run(); } catch (err) { say(`bench: cleanup of ${c.name} failed: ${String(err)}`); }
  }
}

// ---------------------------------------------------------------------------------------------
// Database server and fixture

interface Server { url: string; embedded: boolean; describe: string; postmasterPid: () => number | undefined }

async function openServer(): Promise<Server> {
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    if (Object.keys(PG_SETTINGS).length) say('BENCH_PG_SETTINGS applies to the throwaway server only: ignored with an external server.');
    return { url: external, embedded: false, describe: `${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'DATABASE_URL'} (${new URL(external).host})`, postmasterPid: () => undefined };
  }
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-bench-'));
  fs.chmodSync(dataRoot, 0o755); // PostgreSQL runs as `postgres` when we are root
  const server = new EmbeddedPostgresServer({ dataRoot, ephemeral: true, settings: PG_SETTINGS });
  onCleanup('the embedded PostgreSQL server', () => server.stop());
  await server.start();
  const postmasterPid = () => {
    try { return Number(fs.readFileSync(path.join(server.clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined; } catch { return undefined; }
  };
  return { url: server.url(), embedded: true, describe: `embedded PostgreSQL (throwaway, in ${server.dataRoot})`, postmasterPid };
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  c.on('error', () => {});
  await c.connect();
  try { return await fn(c); } finally { await c.end().catch(() => {}); }
}

export interface Fixture {
  dose1: { lo: number; hi: number };
  dose2: { lo: number; hi: number };
  hot1: number;
  hot2: number;
  clinics: number;
}

function clinicSeed(code: string, n: number, name: string): ClinicSeed {
  // Around downtown Toronto, a few kilometres apart.
  return {
    code, regionCode: 'BENCH', name, kind: 'mass_site', street: `${100 + n} King Street`, city: 'Toronto', postalCode: 'M5V 1A1',
    latitude: 43.60 + (n % 5) * 0.03, longitude: -79.50 + Math.floor(n / 5) * 0.04, phone: '416-555-0100',
    languages: ['en', 'fr'], accessibility: ['wheelchair'], accessibilityNotes: null, timeZone: TIME_ZONE,
  };
}

/**
 * One region, 20 clinics and one "hot" clinic, one two-dose product (DEMO_PRODUCTS' Comirnaty: 21 days
 * minimum, 56 recommended). Dose-1 sessions 2–10 days ahead, then dose-2 sessions 60–70 days ahead,
 * created in that order so each dose's slot ids form one contiguous range (pgbench draws from them).
 */
export async function buildFixture(url: string): Promise<Fixture> {
  const pool = createPool(url, 2);
  try {
    await migrate(pool);
    const province: ProvinceSeed = {
      jurisdiction: { name: 'Bench Province', languages: ['en', 'fr'], defaultLanguage: 'en', timeZone: TIME_ZONE, identifierScheme: 'ontario-health-card' },
      regions: [{ code: 'BENCH', name: 'Bench Region', nameFr: 'Région du banc', officeTown: 'Toronto', latitude: 43.65, longitude: -79.38, population: 3_000_000 }],
      products: DEMO_PRODUCTS.filter((p) => p.code === 'pfizer-comirnaty'),
      clinics: [
        ...Array.from({ length: CLINICS }, (_, i) => clinicSeed(`BENCH-${String(i + 1).padStart(2, '0')}`, i, `Bench Clinic ${i + 1}`)),
        clinicSeed('BENCH-HOT', CLINICS, 'Bench Hot Clinic'),
      ],
      shifts: [],
    };
    if (province.products.length !== 1 || province.products[0]!.seriesDoses !== 2) throw new Error('DEMO_PRODUCTS has no two-dose pfizer-comirnaty');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await insertReferenceData(client, province);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }

    // Published clinic-days and one 08:00–20:00 session each; dose 1's days first.
    const sessions = async (from: number, to: number, clinicFilter: string, start: string, end: string, stations: number) => {
      await pool.query(
        `INSERT INTO clinic_days (region_id, clinic_id, day, published_at)
         SELECT c.region_id, c.id, (now() AT TIME ZONE $4)::date + d, now()
           FROM clinics c CROSS JOIN generate_series($1::int, $2::int) AS d
          WHERE c.code LIKE $3
         ON CONFLICT (clinic_id, day) DO NOTHING`, [from, to, clinicFilter, TIME_ZONE]);
      const r = await pool.query<{ lo: number; hi: number }>(
        `WITH created AS (
           INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
           SELECT cd.region_id, cd.clinic_id, cd.id, p.id, (cd.day + $4::time) AT TIME ZONE c.time_zone,
                  (cd.day + $5::time) AT TIME ZONE c.time_zone, $6, $7
             FROM clinic_days cd JOIN clinics c ON c.id = cd.clinic_id CROSS JOIN products p
            WHERE c.code LIKE $3 AND cd.day BETWEEN (now() AT TIME ZONE $8)::date + $1::int AND (now() AT TIME ZONE $8)::date + $2::int
            ORDER BY cd.day, c.id
           RETURNING id)
         SELECT min(id)::int AS lo, max(id)::int AS hi FROM created`,
        [from, to, clinicFilter, start, end, stations, SLOT_MINUTES, TIME_ZONE]);
      return r.rows[0]!;
    };
    const slotRange = async (s: { lo: number; hi: number }) => {
      await insertSlotsForSessions(pool, s.lo, s.hi);
      const r = await pool.query<{ lo: number; hi: number; n: number }>(
        'SELECT min(id)::int AS lo, max(id)::int AS hi, count(*)::int AS n FROM slots WHERE session_id BETWEEN $1 AND $2', [s.lo, s.hi]);
      const x = r.rows[0]!;
      if (x.n !== x.hi - x.lo + 1) throw new Error(`slot ids of sessions ${s.lo}–${s.hi} are not contiguous`);
      return { lo: x.lo, hi: x.hi };
    };
    const dose1 = await slotRange(await sessions(DOSE1_DAYS[0], DOSE1_DAYS[1], 'BENCH-__', SESSION_HOURS[0], SESSION_HOURS[1], SLOT_CAPACITY));
    const dose2 = await slotRange(await sessions(DOSE2_DAYS[0], DOSE2_DAYS[1], 'BENCH-__', SESSION_HOURS[0], SESSION_HOURS[1], SLOT_CAPACITY));

    // The hot slots: one 10-minute session on day 5 and one on day 65 at the hot clinic, one slot each of
    // capacity 30,000 (a session's stations stop at 500, a slot's capacity does not).
    const hotSlot = async (day: number) => {
      const s = await sessions(day, day, 'BENCH-HOT', '10:00', '10:10', 1);
      const r = await pool.query<{ id: number }>(
        `INSERT INTO slots (region_id, clinic_id, clinic_day_id, session_id, product_id, starts_at, ends_at, capacity)
         SELECT region_id, clinic_id, clinic_day_id, id, product_id, starts_at, ends_at, $2 FROM sessions WHERE id = $1
         RETURNING id::int`, [s.lo, HOT_CAPACITY]);
      return r.rows[0]!.id;
    };
    const hot1 = await hotSlot(5);
    const hot2 = await hotSlot(65);
    await pool.query('VACUUM ANALYZE');
    return { dose1, dose2, hot1, hot2, clinics: CLINICS };
  } finally {
    await pool.end();
  }
}

/**
 * Statistics for the tables the warm-up filled. A run starts with no persons, bookings or appointments, and
 * a backend that plans its cached statements (the foreign-key checks, the plpgsql and SQL functions' plans)
 * on empty tables keeps sequential-scan plans that get slower with every booking, until autovacuum analyzes
 * the tables (it wakes once a minute). ANALYZE after the warm-up invalidates those plans, so the measured
 * run sees the steady state of a database in use; the cold start is a launch-day effect of its own.
 */
async function analyze(url: string): Promise<void> {
  await admin(url, (c) => c.query('ANALYZE'));
}

/** A fresh copy of the fixture as vaxbook_bench (nobody may be connected to either database). */
async function freshBenchDb(serverUrl: string): Promise<string> {
  await admin(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${BENCH_DB} TEMPLATE ${TEMPLATE_DB}`);
  });
  return withDatabase(serverUrl, BENCH_DB);
}

interface Invariants {
  drift: number; dayDrift: number; overCapacity: number; bookings: number; appointments: number; bookedSum: number;
}

async function checkInvariants(url: string): Promise<Invariants> {
  return admin(url, async (c) => {
    const r = await c.query<Invariants>(
      `SELECT (SELECT count(*) FROM slot_counter_drift)::int AS drift,
              (SELECT count(*) FROM day_availability_drift)::int AS "dayDrift",
              (SELECT count(*) FROM slots WHERE booked + held > capacity)::int AS "overCapacity",
              (SELECT count(*) FROM bookings)::int AS bookings,
              (SELECT count(*) FROM appointments WHERE status IN ('booked', 'checked_in'))::int AS appointments,
              (SELECT coalesce(sum(booked), 0) FROM slots)::int AS "bookedSum"`);
    return r.rows[0]!;
  });
}

// ---------------------------------------------------------------------------------------------
// The app, in a child process

interface AppChild { port: number; child: ChildProcess; errors: Map<string, number>; errorCount: number; stop(): Promise<void> }

/** One short line for a pino error record: its message, the error's type, SQLSTATE and message. */
function summariseLogLine(line: string): string {
  try {
    const j = JSON.parse(line) as { msg?: string; err?: { type?: string; code?: string; message?: string } };
    return [j.msg, j.err?.type, j.err?.code && `code ${j.err.code}`, j.err?.message].filter(Boolean).join(': ').slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

const describeErrors = (errors: Map<string, number>) => [...errors].map(([m, n]) => `${n} × ${m}`).join('\n    ');

async function startApp(databaseUrl: string, readyTimeoutS = 90): Promise<AppChild> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', path.join('src', 'cli', 'main.ts'), 'serve'], {
    cwd: projectRoot,
    env: {
      ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', VAXBOOK_DEMO: 'false',
      LOG_LEVEL: 'warn', DB_POOL_SIZE: String(POOL_SIZE),
      // Each booking writes its messages and their jobs (that cost is measured); sending them is a worker's
      // work, in another process in production: BENCH_DELIVERY_WORKER=in-process measures both on these 2 cores.
      VAXBOOK_DELIVERY_WORKER: process.env.BENCH_DELIVERY_WORKER ?? 'off',
      ...(process.env.BENCH_WEB_CONCURRENCY ? { WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app: AppChild = {
    port, child, errors: new Map(), errorCount: 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
  const undo = onCleanup(`the app (pid ${child.pid})`, () => app.stop());
  child.once('exit', undo);
  // pino writes JSON lines on stdout; start-up messages go to stderr. Keep errors and the last lines.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (/"level":(50|60)/.test(line)) {
        app.errorCount++;
        const key = summariseLogLine(line);
        if (app.errors.has(key) || app.errors.size < 20) app.errors.set(key, (app.errors.get(key) ?? 0) + 1);
      }
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const deadline = Date.now() + readyTimeoutS * 1000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app stopped while starting (exit ${child.exitCode ?? child.signalCode}):\n${tail.join('\n')}`);
    }
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app did not answer GET /ready with 200 within ${readyTimeoutS} s:\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return app;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadResult {
  label: string;
  connections: number;
  seconds: number;
  responses: number;
  ok: number; // 201 (bookings) or 200 (search)
  perSecond: number;
  p50: number | null; p95: number | null; p99: number | null; max: number | null;
  byStatus: Record<string, number>;
  samples: Record<string, string[]>; // a few bodies per non-2xx status
  errors: number; // connection errors and timeouts
  timeouts: number;
  cpu?: CpuUse;
  meanResponseBytes: number | null;
}

interface LoadSpec {
  label: string;
  port: number;
  path: string;
  connections: number;
  okStatus: number;
  body: () => string;
  durationS?: number; // time-bounded (with a count bound), or
  amount?: number; // count-bounded (with a time bound)
  maxOk?: number; // stop once this many ok answers arrived
  timeLimitS?: number;
  appPid?: number;
  /** False when PostgreSQL is not our throwaway server (its CPU then counts as "other" if it runs here). */
  ourServer?: boolean;
}

/** The postmaster of the throwaway server, for CPU accounting (unknown with an external server). */
let postmasterPid: () => number | undefined = () => undefined;

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const byStatus: Record<string, number> = {};
    const samples: Record<string, string[]> = {};
    let responses = 0;
    let ok = 0;
    let stopping = false;
    const started = process.hrtime.bigint();
    const cpuPids = { app: spec.appPid, postmaster: spec.ourServer === false ? undefined : postmasterPid() };
    let bytes = 0;
    const cpuStart = cpuSample(cpuPids);
    const opts: autocannon.Options = {
      url: `http://127.0.0.1:${spec.port}`,
      connections: spec.connections,
      pipelining: 1,
      timeout: 30,
      ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.durationS ?? DURATION_S }),
      requests: [{
        method: 'POST', path: spec.path, headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: spec.body() }),
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) return;
          const list = (samples[status] ??= []);
          if (list.length < 3) list.push(body.slice(0, 400));
        },
      }],
    };
    const instance = autocannon(opts, (err, result) => {
      clearTimeout(hardStop);
      const cpu = cpuUse(cpuStart, cpuSample(cpuPids));
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      latencies.sort((a, b) => a - b);
      resolve({
        label: spec.label, connections: spec.connections, seconds, responses, ok, perSecond: ok / seconds,
        p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
        max: latencies.length ? latencies[latencies.length - 1]! : null,
        byStatus, samples, errors: result.errors, timeouts: result.timeouts, cpu, meanResponseBytes: responses ? bytes / responses : null,
      });
    });
    const stop = () => { if (!stopping) { stopping = true; instance.stop(); } };
    const limitS = spec.timeLimitS ?? (spec.durationS ?? DURATION_S) + 60;
    const hardStop = setTimeout(stop, limitS * 1000);
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      responses++;
      bytes += resBytes;
      byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
      if (statusCode === spec.okStatus) ok++;
      if (latencies.length < 2_000_000) latencies.push(responseTime);
      if (responses >= MAX_REQUESTS_PER_RUN || (spec.maxOk !== undefined && ok >= spec.maxOk)) stop();
    });
  });
}

let personCounter = 100_000_000 + Math.floor(Math.random() * 800_000_000);

function bookingBody(d1: number, d2: number): string {
  const identifier = withCheckDigits('ontario-health-card', String(personCounter++)); // valid, never repeated in a run
  return JSON.stringify({
    slots: [{ dose: 1, slotId: d1 }, { dose: 2, slotId: d2 }],
    persons: [{ identifier, dateOfBirth: '1970-01-01', givenName: 'Bench', familyName: 'Person', email: 'b@example.org' }],
  });
}

const randomIn = (r: { lo: number; hi: number }) => r.lo + Math.floor(Math.random() * (r.hi - r.lo + 1));

async function bookingRun(label: string, dbUrl: string, pick: () => [number, number], maxOk?: number) {
  const app = await startApp(dbUrl);
  try {
    const body = () => { const [a, b] = pick(); return bookingBody(a, b); };
    const common = { port: app.port, path: '/api/v1/bookings', connections: CONNECTIONS, okStatus: 201, body, appPid: app.child.pid };
    let warmOk = 0;
    if (WARMUP_S > 0) {
      const warm = await runLoad({ ...common, label: `${label} warm-up`, durationS: WARMUP_S, maxOk: maxOk && Math.floor(maxOk / 4) });
      warmOk = warm.ok;
      if (ANALYZE_AFTER_WARMUP) await analyze(dbUrl);
    }
    const result = await runLoad({ ...common, label, durationS: DURATION_S, maxOk: maxOk && maxOk - warmOk });
    // Requests in flight when the load generator hung up still finish: let them, before stopping the app.
    await sleep(2000);
    const duringLoad = new Map(app.errors);
    const countDuringLoad = app.errorCount;
    await app.stop();
    const atStop = new Map([...app.errors].map(([m, n]) => [m, n - (duringLoad.get(m) ?? 0)] as const).filter(([, n]) => n > 0));
    const inv = await checkInvariants(dbUrl);
    return { result, inv, acknowledged: warmOk + result.ok, duringLoad, countDuringLoad, atStop, countAtStop: app.errorCount - countDuringLoad };
  } finally {
    await app.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// pgbench

function findPgbench(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  if (process.getuid?.() !== 0) {
    say('(c) pgbench is not on PATH and this is not root: install it (Debian: apt-get install postgresql-client) to measure the ceiling.');
    return null;
  }
  say('(c) pgbench is not on PATH: trying apt-get install -y postgresql-client …');
  const opts = { encoding: 'utf8' as const, timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  let r = spawnSync('apt-get', ['install', '-y', '-q', 'postgresql-client'], opts);
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], opts);
    r = spawnSync('apt-get', ['install', '-y', '-q', 'postgresql-client'], opts);
  }
  const again = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  if (again.status === 0 && again.stdout.trim()) return again.stdout.trim();
  say(`(c) could not install pgbench (apt-get exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`);
  say('    Install it by hand (Debian: apt-get install postgresql-client) to measure the ceiling; (c) is reported as null.');
  return null;
}

/** The same SQL as one booking request: vaxbook_create_booking with one new person and one slot per dose. */
export function pgbenchScript(f: Fixture): string {
  // pgbench substitutes :name in the text (simple protocol), also inside the literals; ':' followed by
  // anything else (::jsonb, "key":"value", :null) is left alone. :n counts this client's transactions
  // (it starts at 0 with -D n=0), so (tag, client_id, n) never repeats: identifiers and confirmation
  // codes are unique, as bookings.confirmation_code must be.
  const person = '{"identifierScheme":"ontario-health-card","identifier":"PG-:tag-:client_id-:n","dateOfBirth":"1970-01-01",'
    + '"givenName":"B","familyName":"P","language":"en","email":"b@example.org","mobile":null,"addressLine":null,"city":null,"postalCode":null,'
    + '"regionCode":null,"knownDoses":0}'; // as the API sends a first booking: no region given, no recorded doses assumed
  return [
    `\\set d1 random(${f.dose1.lo}, ${f.dose1.hi})`,
    `\\set d2 random(${f.dose2.lo}, ${f.dose2.hi})`,
    '\\set n :n + 1',
    `SELECT vaxbook_create_booking(NULL, 'h', '[${person}]'::jsonb, NULL, ARRAY[:d1, :d2]::bigint[], ARRAY[1, 2]::smallint[], 'portal', 'PGB-:tag-:client_id-:n');`,
    '',
  ].join('\n');
}

interface PgbenchResult {
  clients: number; tps: number | null; transactions: number | null; failed: number | null; latencyMs: number | null;
  exit: number | null; problems: string[]; cpu?: CpuUse;
}

function runPgbench(bin: string, dbUrl: string, scriptFile: string, clients: number, seconds = DURATION_S): Promise<PgbenchResult> {
  const tag = randomBytes(4).toString('hex');
  const args = ['--no-vacuum', '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds),
    '-f', scriptFile, '-D', 'n=0', '-D', `tag=${tag}`, dbUrl];
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const undo = onCleanup(`pgbench (pid ${child.pid})`, async () => { child.kill('SIGKILL'); });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { if (out.length < 100_000) out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { if (err.length < 100_000) err += c.toString(); });
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 120) * 1000);
    // CPU over the middle of the run (pgbench's own numbers vanish with its process).
    let cpuStart: CpuSample | undefined;
    let cpu: CpuUse | undefined;
    const pids = { postmaster: postmasterPid(), pgbench: child.pid };
    const t1 = seconds >= 3 ? setTimeout(() => { cpuStart = cpuSample(pids); }, 1000) : undefined;
    const t2 = seconds >= 3 ? setTimeout(() => { cpu = cpuUse(cpuStart, cpuSample(pids)); }, (seconds - 0.5) * 1000) : undefined;
    child.once('exit', (code) => {
      clearTimeout(killer);
      clearTimeout(t1);
      clearTimeout(t2);
      undo();
      const num = (re: RegExp) => { const m = re.exec(out); return m ? Number(m[1]) : null; };
      const problems = err.split('\n').filter((l) => /error|abort|fatal/i.test(l)).slice(0, 5).map((l) => l.slice(0, 400));
      resolve({
        clients,
        tps: num(/tps = ([\d.]+) \(without initial connection time\)/) ?? num(/tps = ([\d.]+)/),
        transactions: num(/number of transactions actually processed: (\d+)/),
        failed: num(/number of failed transactions: (\d+)/),
        latencyMs: num(/latency average = ([\d.]+) ms/),
        exit: code,
        problems,
        cpu,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// (d) search on the national data set

function townPicker(): () => { latitude: number; longitude: number; name: string } {
  const towns = canadianTowns();
  const cumulative: number[] = [];
  let total = 0;
  for (const t of towns) { total += t.population; cumulative.push(total); }
  return () => {
    const x = Math.random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid]! > x) hi = mid; else lo = mid + 1; }
    const t = towns[lo]!;
    return { latitude: t.latitude, longitude: t.longitude, name: t.name };
  };
}

function randomDateOfBirth(): string {
  const from = Date.UTC(1940, 0, 1);
  const to = Date.UTC(2005, 11, 31);
  return new Date(from + Math.floor(Math.random() * ((to - from) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

async function searchRun(url: string): Promise<{ result: LoadResult; loaded: LoadResult; withItems: number; errors: Map<string, number>; errorCount: number }> {
  const pickTown = townPicker();
  const pool = createPool(url, 1);
  let pending: string[];
  let slots: number | undefined;
  try {
    pending = await pendingMigrations(pool);
    slots = (await pool.query<{ n: number }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass('slots')`)).rows[0]?.n;
  } finally {
    await pool.end();
  }
  say(`(d) the national database holds about ${slots === undefined ? '?' : Math.round(slots).toLocaleString('en')} slots`
    + (pending.length ? `; ${pending.length} migration(s) pending (${pending.join(', ')}): the app applies them as it starts, which can take minutes on the national data set …` : '.'));
  const app = await startApp(url, pending.length ? 900 : 90);
  try {
    let withItems = 0;
    const body = () => {
      const t = pickTown();
      return JSON.stringify({ latitude: t.latitude, longitude: t.longitude, radiusKm: 25, dateOfBirth: randomDateOfBirth(), limit: 10 });
    };
    // A short warm-up (JIT, connections, caches), not counted.
    const common = { port: app.port, path: '/api/v1/availability/search', connections: SEARCH_CONCURRENCY, okStatus: 200, body, appPid: app.child.pid, ourServer: false };
    await runLoad({ ...common, label: 'search warm-up', amount: 100, timeLimitS: 60 });
    const result = await runLoad({ ...common, label: '(d) search', amount: SEARCH_REQUESTS, timeLimitS: 300 });
    const loaded = await runLoad({ ...common, connections: SEARCH_LOAD_CONCURRENCY, label: `(d) search ×${SEARCH_LOAD_CONCURRENCY}`, amount: SEARCH_REQUESTS, timeLimitS: 300 });
    // How many answers offered something (a spot check that the data set is there, not counted in latency).
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/availability/search`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: body(), signal: AbortSignal.timeout(10_000),
      });
      const j = (await res.json()) as { items?: unknown[] };
      if (j.items && j.items.length > 0) withItems++;
    }
    return { result, loaded, withItems, errors: new Map(app.errors), errorCount: app.errorCount };
  } finally {
    await app.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const countNon2xx = (r: LoadResult) => Object.entries(r.byStatus).filter(([s]) => !s.startsWith('2')).reduce((a, [, n]) => a + n, 0);
const non2xx = (r: LoadResult) => Object.entries(r.byStatus).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${s}×${n}`).join(' ') || '0';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(rows[0]!), '|' + widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const t0 = Date.now();
  say(`bench:booking — ${os.cpus().length} CPU(s), node ${process.version}; ${DURATION_S} s per run after a ${WARMUP_S} s warm-up, `
    + `${CONNECTIONS} HTTP connections, app DB_POOL_SIZE=${POOL_SIZE}, pgbench clients ${PGBENCH_CLIENTS.join(' and ')}`);
  const server = await openServer();
  postmasterPid = server.postmasterPid;
  const version = await admin(server.url, async (c) => {
    const r = await c.query<{ v: string; fsync: string; sc: string; sb: string; mc: string }>(
      `SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc,
              current_setting('shared_buffers') AS sb, current_setting('max_connections') AS mc`);
    return r.rows[0]!;
  });
  say(`PostgreSQL ${version.v}: ${server.describe}; fsync=${version.fsync}, synchronous_commit=${version.sc}, shared_buffers=${version.sb}, max_connections=${version.mc}`);

  // The fixture, once, as a template; each run gets a fresh copy.
  const tf = Date.now();
  await admin(server.url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0`);
  });
  onCleanup('the bench databases', () => admin(server.url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  }));
  const fixture = await buildFixture(withDatabase(server.url, TEMPLATE_DB));
  const n1 = fixture.dose1.hi - fixture.dose1.lo + 1;
  const n2 = fixture.dose2.hi - fixture.dose2.lo + 1;
  say(`Fixture (${((Date.now() - tf) / 1000).toFixed(1)} s): ${fixture.clinics} clinics (${TIME_ZONE}) + 1 hot clinic, product pfizer-comirnaty (2 doses, 21/56 days); `
    + `${n1.toLocaleString('en')} dose-1 slots (days +${DOSE1_DAYS[0]}…+${DOSE1_DAYS[1]}, ids ${fixture.dose1.lo}–${fixture.dose1.hi}), `
    + `${n2.toLocaleString('en')} dose-2 slots (days +${DOSE2_DAYS[0]}…+${DOSE2_DAYS[1]}, ids ${fixture.dose2.lo}–${fixture.dose2.hi}), capacity ${SLOT_CAPACITY} each; `
    + `hot slots ${fixture.hot1} and ${fixture.hot2}, capacity ${HOT_CAPACITY.toLocaleString('en')}`);

  const invariantRows: Array<{ run: string; inv: Invariants; acknowledged?: number }> = [];
  const appProblems: string[] = [];

  // (a) spread
  if (WARMUP_S > 0) {
    say(`Each run: a ${WARMUP_S} s warm-up on a fresh copy of the fixture, ${ANALYZE_AFTER_WARMUP ? 'ANALYZE (the tables it filled were empty)' : 'no ANALYZE (BENCH_ANALYZE=false: cold plans)'}, then ${DURATION_S} s measured.`);
  }
  say(`(a) spread: ${WARMUP_S} + ${DURATION_S} s of POST /api/v1/bookings, a random slot pair per request …`);
  const spreadDb = await freshBenchDb(server.url);
  const spread = await bookingRun('(a) spread', spreadDb, () => [randomIn(fixture.dose1), randomIn(fixture.dose2)]);
  invariantRows.push({ run: '(a) spread', inv: spread.inv, acknowledged: spread.acknowledged });
  const appErrorNotes = (name: string, run: Awaited<ReturnType<typeof bookingRun>>) => {
    if (run.countDuringLoad) appProblems.push(`${name} the app logged ${run.countDuringLoad} error(s) during the load:\n    ${describeErrors(run.duringLoad)}`);
    if (run.countAtStop) appProblems.push(`${name} the app logged ${run.countAtStop} error(s) while stopping (SIGTERM after the load):\n    ${describeErrors(run.atStop)}`);
  };
  appErrorNotes('(a)', spread);

  // (b) hot slot
  say(`(b) hot slot: ${WARMUP_S} + ${DURATION_S} s, every request on slots ${fixture.hot1} + ${fixture.hot2} …`);
  const hotDb = await freshBenchDb(server.url);
  const hot = await bookingRun('(b) hot slot', hotDb, () => [fixture.hot1, fixture.hot2], HOT_MAX_BOOKINGS);
  invariantRows.push({ run: '(b) hot slot', inv: hot.inv, acknowledged: hot.acknowledged });
  appErrorNotes('(b)', hot);

  // (c) pgbench ceiling
  const pgbenchResults: PgbenchResult[] = [];
  const pgbenchBin = findPgbench();
  if (pgbenchBin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-pgbench-'));
    onCleanup('the pgbench script', async () => fs.rmSync(dir, { recursive: true, force: true }));
    const scriptFile = path.join(dir, 'booking.sql');
    fs.writeFileSync(scriptFile, pgbenchScript(fixture));
    for (const clients of PGBENCH_CLIENTS) {
      say(`(c) pgbench: ${WARMUP_S} + ${DURATION_S} s of vaxbook_create_booking, ${clients} clients …`);
      const db = await freshBenchDb(server.url);
      let warm = 0;
      if (WARMUP_S > 0) { // as for (a) and (b): a warm-up, then statistics
        const w = await runPgbench(pgbenchBin, db, scriptFile, clients, WARMUP_S);
        warm = w.transactions ?? 0;
        if (w.exit !== 0) appProblems.push(`(c) pgbench warm-up -c ${clients} exited ${w.exit}${w.problems.length ? ':\n    ' + w.problems.join('\n    ') : ''}`);
        if (ANALYZE_AFTER_WARMUP) await analyze(db);
      }
      const r = await runPgbench(pgbenchBin, db, scriptFile, clients);
      pgbenchResults.push(r);
      const inv = await checkInvariants(db);
      invariantRows.push({ run: `(c) pgbench -c ${clients}`, inv, acknowledged: r.transactions === null ? undefined : r.transactions + warm });
      if (r.exit !== 0 || r.problems.length) {
        appProblems.push(`(c) pgbench -c ${clients} exited ${r.exit}${r.problems.length ? ':\n    ' + r.problems.join('\n    ') : ''}`);
      }
    }
  }
  const best = pgbenchResults.filter((r) => r.tps !== null && r.exit === 0).sort((a, b) => b.tps! - a.tps!)[0];
  const pgbenchTps = best?.tps ?? null;

  // (d) search
  let search: Awaited<ReturnType<typeof searchRun>> | undefined;
  if (NATIONAL_URL) {
    say(`(d) search: ${SEARCH_REQUESTS} POST /api/v1/availability/search at concurrency ${SEARCH_CONCURRENCY}, then ${SEARCH_LOAD_CONCURRENCY}, on BENCH_NATIONAL_URL (${new URL(NATIONAL_URL).host}${new URL(NATIONAL_URL).pathname}) …`);
    search = await searchRun(NATIONAL_URL);
    if (search.errorCount) appProblems.push(`(d) the app logged ${search.errorCount} error(s):\n    ${describeErrors(search.errors)}`);
  }

  // The bench databases and the server go before the report, so its JSON line is the last output.
  await cleanupAll();

  // ---- report
  say('');
  const loadRow = (r: LoadResult, unit: string) => [r.label, String(r.connections), fmt(r.seconds), r.responses.toLocaleString('en'),
    `${r.ok.toLocaleString('en')} ${unit}`, fmt(r.perSecond), fmt(r.p50), fmt(r.p95), fmt(r.p99), fmt(r.max), non2xx(r), `${r.errors}/${r.timeouts}`, fmtCpu(r.cpu)];
  const rows: string[][] = [['run', 'conc.', 's', 'responses', 'ok', 'ok/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx by status', 'errors/timeouts', 'CPU cores: app / pg / loadgen / other'],
    loadRow(spread.result, '×201'), loadRow(hot.result, '×201')];
  for (const r of pgbenchResults) {
    rows.push([`(c) pgbench -c ${r.clients} -j ${Math.min(2, r.clients)}`, String(r.clients), String(DURATION_S), (r.transactions ?? 0).toLocaleString('en'),
      `${(r.transactions ?? 0).toLocaleString('en')} txn`, fmt(r.tps), `avg ${fmt(r.latencyMs, 2)}`, '—', '—', '—', r.failed ? `${r.failed} failed` : '0', r.exit === 0 ? '0' : `exit ${r.exit}`, fmtCpu(r.cpu)]);
  }
  if (!pgbenchBin) rows.push(['(c) pgbench', '—', '—', '—', '—', 'skipped (no pgbench)', '—', '—', '—', '—', '—', '—', '—']);
  if (search) rows.push(loadRow(search.result, '×200'), loadRow(search.loaded, '×200'));
  say(table(rows));
  say('(latency: from the load generator, request sent to response complete; pgbench: its average. CPU: cores used on average during the run, '
    + 'by the app, by PostgreSQL, by the load generator (autocannon here, or pgbench) and by anything else on the machine; 2 cores in all)');
  say('');

  // CPU per booking (or search): where one operation's cost goes.
  const perOp = (name: string, cpu: CpuUse | undefined, rate: number | null) => {
    if (!cpu || !rate) return;
    const ms = (x: number | null) => (x === null ? '—' : `${((x / rate) * 1000).toFixed(2)} ms`);
    say(`${name} CPU per operation: app ${ms(cpu.app)}, PostgreSQL ${ms(cpu.pg)}, load generator ${ms(cpu.loadgen)} (at ${fmt(rate)}/s)`);
  };
  perOp('(a)', spread.result.cpu, spread.result.perSecond);
  perOp('(b)', hot.result.cpu, hot.result.perSecond);
  for (const r of pgbenchResults) perOp(`(c) -c ${r.clients}`, r.cpu, r.tps);
  if (search) perOp('(d)', search.result.cpu, search.result.perSecond);
  if (search) perOp(`(d) ×${SEARCH_LOAD_CONCURRENCY}`, search.loaded.cpu, search.loaded.perSecond);

  for (const [name, r] of [['(a)', spread.result], ['(b)', hot.result]] as const) {
    for (const [status, bodies] of Object.entries(r.samples)) say(`${name} sample ${status} body: ${bodies[0]}`);
  }
  if (search) {
    for (const [status, bodies] of Object.entries(search.result.samples)) say(`(d) sample ${status} body: ${bodies[0]}`);
    say(`(d) ${search.withItems} of 20 spot-check searches offered at least one clinic; answers averaged ${fmt((search.result.meanResponseBytes ?? 0) / 1024)} KiB `
      + '(the PostgreSQL of BENCH_NATIONAL_URL is not this script\'s: its CPU counts as "other" when it runs on this machine).');
  } else {
    say('(d) skipped: set BENCH_NATIONAL_URL to a postgres URL of a database holding the national data set '
      + '(npm run seed -- --scale national loads it into vaxbook_national on the embedded server in ./data).');
  }
  say('');

  // Invariants.
  const invRows: string[][] = [['after', 'slot_counter_drift', 'day_availability_drift', 'slots over capacity', 'bookings', 'appointments', 'sum(booked)', 'acknowledged']];
  let drift = 0;
  let overCapacity = 0;
  const notes: string[] = [];
  for (const { run, inv, acknowledged } of invariantRows) {
    drift += inv.drift + inv.dayDrift;
    overCapacity += inv.overCapacity;
    invRows.push([run, String(inv.drift), String(inv.dayDrift), String(inv.overCapacity), inv.bookings.toLocaleString('en'),
      inv.appointments.toLocaleString('en'), inv.bookedSum.toLocaleString('en'), acknowledged === undefined ? '—' : acknowledged.toLocaleString('en')]);
    if (inv.appointments !== 2 * inv.bookings) notes.push(`${run}: ${inv.appointments} appointments for ${inv.bookings} bookings (expected 2 each)`);
    if (inv.bookedSum !== inv.appointments) notes.push(`${run}: slots count ${inv.bookedSum} booked places for ${inv.appointments} appointments`);
    if (acknowledged !== undefined && run.startsWith('(c)') && inv.bookings !== acknowledged) notes.push(`${run}: ${inv.bookings} bookings stored, pgbench counted ${acknowledged}`);
    // HTTP: answers in flight when the load generator stopped may have committed without being counted.
    // HTTP: requests in flight when the load generator stopped (after the warm-up, and at the end) commit
    // without being counted, so the database may hold up to that many more bookings than 201 answers, never fewer.
    const inFlight = CONNECTIONS * (WARMUP_S > 0 ? 2 : 1);
    if (acknowledged !== undefined && !run.startsWith('(c)') && (inv.bookings < acknowledged || inv.bookings > acknowledged + inFlight)) {
      notes.push(`${run}: ${inv.bookings} bookings stored for ${acknowledged} 201 answers (at most ${inFlight} more may have been in flight)`);
    }
  }
  say(table(invRows));
  say('(acknowledged: 201 answers including the warm-up, or transactions pgbench counted including its warm-up; requests in flight when the load generator hung up '
    + 'commit unanswered, so stored bookings may exceed the 201s by up to the connection count per stop, never fall short)');
  for (const n of notes) say(`INVARIANT: ${n}`);
  say('');

  // Targets.
  const spreadRate = spread.result.perSecond;
  const hotRate = hot.result.perSecond;
  const spreadVsPg = pgbenchTps ? spreadRate / pgbenchTps : null;
  const hotVsSpread = spreadRate > 0 ? hotRate / spreadRate : null;
  const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');
  const targets: string[][] = [['target', 'measured', 'result'],
    ['(a) ≥ 2,000 bookings/s', `${fmt(spreadRate)} /s`, mark(spreadRate >= 2000)],
    ['(a) ≥ 0.5 × (c)', spreadVsPg === null ? 'no pgbench' : `${fmt(spreadVsPg, 2)} × (${fmt(spreadRate)} / ${fmt(pgbenchTps)})`, mark(spreadVsPg === null ? null : spreadVsPg >= 0.5)],
    ['(b) ≥ 0.5 × (a)', hotVsSpread === null ? '—' : `${fmt(hotVsSpread, 2)} × (${fmt(hotRate)} / ${fmt(spreadRate)})`, mark(hotVsSpread === null ? null : hotVsSpread >= 0.5)],
    [`(d) p95 ≤ 25 ms (${SEARCH_CONCURRENCY} at a time)`, search ? `${fmt(search.result.p95)} ms` : 'skipped', mark(search && search.result.p95 !== null ? search.result.p95 <= 25 : null)],
    [`(d) p95 ≤ 25 ms (${SEARCH_LOAD_CONCURRENCY} at a time)`, search ? `${fmt(search.loaded.p95)} ms` : 'skipped', mark(search && search.loaded.p95 !== null ? search.loaded.p95 <= 25 : null)],
    ['invariants', `drift ${drift}, over capacity ${overCapacity}`, mark(drift === 0 && overCapacity === 0 && notes.length === 0)]];
  say(table(targets));
  for (const p of appProblems) say(`NOTE: ${p}`);
  say(`bench:booking finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const summary = {
    bench: 'booking',
    spread_bookings_per_s: round(spreadRate),
    hot_bookings_per_s: round(hotRate),
    pgbench_tps: pgbenchTps === null ? null : round(pgbenchTps),
    pgbench_clients: best?.clients ?? null,
    spread_vs_pgbench: spreadVsPg === null ? null : round(spreadVsPg, 3),
    hot_vs_spread: hotVsSpread === null ? null : round(hotVsSpread, 3),
    search_p50_ms: search?.result.p50 == null ? null : round(search.result.p50, 2),
    search_p95_ms: search?.result.p95 == null ? null : round(search.result.p95, 2),
    search_p99_ms: search?.result.p99 == null ? null : round(search.result.p99, 2),
    search_concurrency: SEARCH_CONCURRENCY,
    search_loaded_concurrency: SEARCH_LOAD_CONCURRENCY,
    search_loaded_p95_ms: search?.loaded.p95 == null ? null : round(search.loaded.p95, 2),
    drift,
    over_capacity: overCapacity,
    spread_p95_ms: spread.result.p95 === null ? null : round(spread.result.p95, 2),
    hot_p95_ms: hot.result.p95 === null ? null : round(hot.result.p95, 2),
    spread_non2xx: countNon2xx(spread.result),
    hot_non2xx: countNon2xx(hot.result),
    connections: CONNECTIONS,
    db_pool_size: POOL_SIZE,
    duration_s: DURATION_S,
    analyze_after_warmup: ANALYZE_AFTER_WARMUP && WARMUP_S > 0,
  };
  say(JSON.stringify(summary));
  return drift === 0 && overCapacity === 0 && notes.length === 0 ? 0 : 1;
}

/** Run only as a script (`tsx bench/booking.ts`), so a scratch tool may import the fixture builder. */
function runningAsScript(): boolean {
  try { return fs.realpathSync(process.argv[1] ?? '') === fs.realpathSync(new URL(import.meta.url)); } catch { return false; }
}

if (runningAsScript()) {
  const watchdog = setTimeout(() => {
    say(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping.`);
    void cleanupAll().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();

  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      say(`bench: ${signal}, cleaning up …`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }

  main().then(
    (code) => process.exit(code),
    async (err: unknown) => {
      say(`bench:booking failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      await cleanupAll();
      say(JSON.stringify({ bench: 'booking', error: err instanceof Error ? err.message : String(err) }));
      process.exit(1);
    },
  );
}
