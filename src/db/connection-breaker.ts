import CircuitBreaker from 'opossum';
import type pg from 'pg';

// Errors that say the server cannot be reached or is not taking connections (down, restarting, hung, unreachable).
// A pool busy with a rush ("timeout exceeded when trying to connect": every connection in use) is not among them:
// the server is up and the next request may well be served.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03']);

export function serverUnreachable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && (UNREACHABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return /^Connection terminated (due to connection timeout|unexpectedly)/.test(e.message ?? '');
}

/** A query the server did not answer within the pool's query timeout (pg's own error). */
export function queryTimedOut(err: unknown): boolean {
  return (err as { message?: string }).message === 'Query read timeout';
}

/** The error a request gets at once while the breaker is open; answered as 503 like any unreachable server. */
export function breakerOpen(err: unknown): boolean {
  return (err as { code?: string }).code === 'EOPENBREAKER';
}

/**
 * Once a connection attempt finds the server unreachable, further attempts fail at once instead of each waiting the
 * connection timeout: a request that needs the database several times (a look-up checks two limits first) gets its
 * 503 after one wait, not three, and a rush of requests does not pile up behind a server that is not answering.
 * A query that times out on an open connection opens the breaker too. Every `retryMs` while it is open, the breaker
 * itself tries the server with a round trip (an idle pooled connection proves nothing): its success closes the
 * breaker, its failure keeps it open.
 */
export function guardConnections(pool: pg.Pool, retryMs = 2_000): CircuitBreaker {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const end = pool.end.bind(pool);
  let breaker: CircuitBreaker;
  const connectAndProbe = async (): Promise<pg.PoolClient> => {
    const client = await connect();
    if (breaker.halfOpen) {
      try {
        await client.query('SELECT 1');
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
    }
    return client;
  };
  breaker = new CircuitBreaker(connectAndProbe, {
    timeout: false, // the pool's own connection timeout applies
    errorThresholdPercentage: 0, // one unreachable answer is enough: it says the server is down, not slow
    resetTimeout: retryMs,
    // Any error of the retry keeps the breaker open (a pool full of connections stuck on the server says nothing good).
    errorFilter: (err: unknown) => !breaker.halfOpen && !serverUnreachable(err) && !queryTimedOut(err),
    rollingCountTimeout: 10_000,
  });
  // The retry is made here, as soon as the wait is over, not by the next request: requests keep failing at once until
  // the server has answered.
  breaker.on('halfOpen', () => { (breaker.fire() as Promise<pg.PoolClient>).then((c) => c.release(), () => {}); });
  // A query left unanswered says the same of the server as a connection that cannot be made: its connection is
  // discarded (released with the error) and the breaker opens.
  pool.on('release', (err) => { if (err && queryTimedOut(err)) breaker.open(); });
  // pg-pool's own query() calls connect with a callback (err, client, done); keep both forms.
  type Done = (err: Error | undefined, client?: pg.PoolClient, release?: (err?: Error | boolean) => void) => void;
  (pool as unknown as { connect: (cb?: Done) => Promise<pg.PoolClient> | undefined }).connect = (cb?: Done) => {
    const client = breaker.fire() as Promise<pg.PoolClient>;
    if (!cb) return client;
    client.then((c) => cb(undefined, c, c.release.bind(c)), (err: Error) => cb(err, undefined, () => {}))
      // A callback that throws fails as it would under pg-pool, not as an unhandled rejection.
      .catch((err: unknown) => process.nextTick(() => { throw err; }));
    return undefined;
  };
  (pool as unknown as { end: (...args: unknown[]) => unknown }).end = (...args: unknown[]) => { breaker.shutdown(); return (end as (...a: unknown[]) => unknown)(...args); };
  return breaker;
}
