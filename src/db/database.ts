import pg from 'pg';
import { guardConnections } from './connection-breaker.js';
import { ConfigError, type Config } from '../config.js';
import { EmbeddedPostgresServer } from './embedded-server.js';

// Return int8 (bigint ids, counts) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// `date` columns stay 'YYYY-MM-DD' strings: a calendar day has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface Database {
  pool: pg.Pool;
  /** The server the pool talks to, for tools that need their own connections. */
  url: string;
  embedded: EmbeddedPostgresServer | undefined;
  close(): Promise<void>;
}

const APP_DATABASE = 'vaxbook';

/**
 * Opens the database the configuration names: DATABASE_URL when set,
 * otherwise vaxbook's own embedded PostgreSQL server.
 */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'VAXBOOK_DATA_DIR' | 'VAXBOOK_PG_PORT' | 'DB_POOL_SIZE'>,
  log: (message: string) => void, dataDirExplicit = false): Promise<Database> {
  let url = config.DATABASE_URL;
  let embedded: EmbeddedPostgresServer | undefined;
  if (!url) {
    embedded = new EmbeddedPostgresServer({
      dataRoot: config.VAXBOOK_DATA_DIR,
      dataRootExplicit: dataDirExplicit,
      port: config.VAXBOOK_PG_PORT,
      portExplicit: config.VAXBOOK_PG_PORT !== undefined,
      log,
    });
    await embedded.start();
    url = await ensureDatabase(embedded.url(), APP_DATABASE);
  }
  const pool = createPool(url, config.DB_POOL_SIZE);
  try {
    await checkReachable(pool, embedded ? 'the embedded PostgreSQL server' : 'DATABASE_URL');
  } catch (err) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    throw err;
  }
  return {
    pool,
    url,
    embedded,
    async close() {
      await drained(pool);
      await pool.end();
      await embedded?.stop();
    },
  };
}

/** Waits (up to 10 s) until no query is running, so a shutdown never cuts a booking off mid-call. */
async function drained(pool: pg.Pool): Promise<void> {
  for (let i = 0; i < 100 && pool.totalCount > pool.idleCount; i++) await new Promise((r) => setTimeout(r, 100));
}

/** A query over a whole data set (reconciling every slot, rewriting the summary): exempt from a pool's query timeout. */
export function wholeDataSetQuery(text: string, values?: unknown[]): pg.QueryConfig {
  // pg reads query_timeout per query; its type definitions do not list it.
  return { text, values, query_timeout: 60 * 60_000 } as pg.QueryConfig;
}

/**
 * A pool for vaxbook. `queryTimeoutMs` bounds how long one query may go unanswered (a server frozen or cut off keeps
 * open connections silent forever); it is for pools that serve requests, never for loading or checking whole data sets.
 */
export function createPool(url: string, max: number, o: { connectionTimeoutMillis?: number; retryMs?: number; queryTimeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url, max, connectionTimeoutMillis: o.connectionTimeoutMillis ?? 10_000, application_name: 'vaxbook',
    ...(o.queryTimeoutMs ? { query_timeout: o.queryTimeoutMs } : {}),
    // PL/pgSQL functions and foreign-key checks keep their plans per connection. Plans made while the
    // tables were empty (a launch morning) stay slow as they fill; renewing connections replans them.
    maxLifetimeSeconds: 120,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  // Likewise a checked-out client (the job queue keeps one for LISTEN): its query fails, the process stays up.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // A query given up on here (its connection dropped) is stopped by the server within 2 s, rather than running on
    // with its locks until it next writes to the connection.
    if (o.queryTimeoutMs) client.query('SET client_connection_check_interval = 2000').catch(() => {});
  });
  guardConnections(pool, o.retryMs);
  return pool;
}

async function checkReachable(pool: pg.Pool, what: string): Promise<void> {
  try {
    const r = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
    const version = Number(r.rows[0]?.server_version_num);
    if (version < 150000) throw new ConfigError('DATABASE_URL', `${what} runs PostgreSQL ${Math.floor(version / 10000)}; vaxbook needs PostgreSQL 15 or later.`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('DATABASE_URL', `Cannot use ${what}: ${describeConnectionError(err)}.`);
  }
}

/** One line a person can act on, for the errors a connection attempt meets in practice. */
export function describeConnectionError(err: unknown): string {
  const e = err as { code?: string; message?: string; address?: string; port?: number; hostname?: string };
  switch (e.code) {
    case 'ECONNREFUSED': return `nothing accepts connections at ${e.address ?? 'that address'}:${e.port ?? ''} (is the server running?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `the host name ${e.hostname ?? ''} cannot be resolved`;
    case 'ETIMEDOUT': return 'the connection timed out';
    case '28P01': case '28000': return 'the server refused the user name or password';
    case '3D000': return 'the database named in the URL does not exist';
    default: return e.message ?? String(err);
  }
}

/** Creates database `name` on the server of `serverUrl` if it is missing; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}
