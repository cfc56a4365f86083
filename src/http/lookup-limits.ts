import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { giveBackPoint, sharedLimiter } from '../db/rate-limit-store.js';
import { normaliseConfirmationCode } from '../domain/confirmation-code.js';
import { ApiError } from './errors.js';

/** "45 seconds", or "about 10 minutes" once it is more than a minute. */
function waitText(seconds: number, lang: 'en' | 'fr'): string {
  if (seconds <= 60) return lang === 'en' ? `${seconds} seconds` : `${seconds} secondes`;
  const minutes = Math.ceil(seconds / 60);
  return lang === 'en' ? `about ${minutes} minutes` : `environ ${minutes} minutes`;
}

/**
 * A confirmation code plus a date of birth unlocks a booking, so guessing is
 * throttled twice: per client address and per code, counted once for all workers.
 * Every attempt is counted when it arrives (so a burst sent at once is counted in full), and given back once it is
 * answered with anything but "not found": only wrong guesses use up the limits, and a guardian looking up and
 * changing several people's doses never meets them.
 */
export interface LookupLimits { perClient: number; perCode: number; windowSeconds: number }

export function lookupLimiter(pool: pg.Pool, limits: LookupLimits = { perClient: 100, perCode: 20, windowSeconds: 600 }) {
  const byClient = sharedLimiter(pool, { keyPrefix: 'lookup-client', points: limits.perClient, duration: limits.windowSeconds });
  const byCode = sharedLimiter(pool, { keyPrefix: 'lookup-code', points: limits.perCode, duration: limits.windowSeconds });
  // The code a request was counted under, and when the windows it took its points from end: a point goes back to
  // that window only.
  const counted = new WeakMap<FastifyRequest, { code: string; clientUntil: number; codeUntil: number }>();
  const codeOf = (req: FastifyRequest) => {
    // Counted per booking, however the code is typed (Z for 2, spaces, dashes): each spelling is the same guess.
    const typed = String((req.body as { confirmationCode?: unknown } | undefined)?.confirmationCode ?? '');
    return normaliseConfirmationCode(typed) ?? typed.toUpperCase().replace(/[\s.\-\u2010-\u2015]/g, '');
  };
  async function check(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const code = codeOf(req);
    try {
      const client = await byClient.consume(req.ip);
      const perCode = code ? await byCode.consume(code) : null;
      counted.set(req, { code, clientUntil: Date.now() + client.msBeforeNext, codeUntil: Date.now() + (perCode?.msBeforeNext ?? 0) });
    } catch (err) {
      throw refusalToWait(err, reply, 'too_many_attempts', (wait) => ({
        en: `Too many attempts. Please wait ${wait.en} and try again.`,
        fr: `Trop de tentatives. Veuillez patienter ${wait.fr}, puis réessayer.`,
      }));
    }
  }
  /**
   * Before the answer leaves (onSend, so the next request of the same client already sees it): an attempt that was not
   * a wrong guess is given back.
   */
  async function settle(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const taken = counted.get(req);
    if (!taken || reply.statusCode === 404) return payload;
    await Promise.all([giveBackPoint(pool, 'lookup-client', req.ip, taken.clientUntil), taken.code ? giveBackPoint(pool, 'lookup-code', taken.code, taken.codeUntil) : null])
      .catch((err: unknown) => req.log.warn({ err }, 'look-up limit not given back'));
    return payload;
  }
  return Object.assign(check, { settle });
}

/** A limiter's refusal as a 429 with Retry-After and how long to wait in words; any other error as it is. */
function refusalToWait(err: unknown, reply: FastifyReply, code: string, say: (wait: { en: string; fr: string }) => { en: string; fr: string }): unknown {
  if (!(err instanceof RateLimiterRes)) return err;
  const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
  reply.header('retry-after', String(seconds));
  return new ApiError(429, code, say({ en: waitText(seconds, 'en'), fr: waitText(seconds, 'fr') }), undefined, { retryAfterSeconds: seconds });
}

/**
 * A hold takes places from everyone else for minutes, without a name: each client address may hold so many places
 * in a window (counted once for all workers), so no one client can empty a clinic's day by holding it. Only holds
 * made count: a refused attempt (a full slot) takes nothing and costs nothing.
 */
export interface HoldLimits { placesPerClient: number; windowSeconds: number }

export function holdLimiter(pool: pg.Pool, limits: HoldLimits = { placesPerClient: 100, windowSeconds: 600 }) {
  const byClient = sharedLimiter(pool, { keyPrefix: 'hold-client', points: limits.placesPerClient, duration: limits.windowSeconds });
  return {
    /** Refuses (429) a hold of `places` that would take this client past its limit. */
    async check(req: FastifyRequest, reply: FastifyReply, places: number): Promise<void> {
      const used = await byClient.get(req.ip);
      if (!used || used.consumedPoints + places <= limits.placesPerClient) return;
      throw refusalToWait(used, reply, 'too_many_holds', (wait) => ({
        en: `Many places have been kept from this connection in a short time. Book the times you kept, or wait ${wait.en} before keeping more.`,
        fr: `Beaucoup de places ont été retenues depuis cette connexion en peu de temps. Confirmez les créneaux retenus, ou patientez ${wait.fr} avant d’en retenir d’autres.`,
      }));
    },
    /** Counts a hold made. Checked before and counted after, so a refused hold costs nothing; holds one client sends
     * at the same moment may pass the limit by one request's places. */
    async spend(req: FastifyRequest, places: number): Promise<void> {
      await byClient.penalty(req.ip, places);
    },
  };
}

/**
 * "Recorded with another date of birth" tells whoever types a card number that the birthday they tried is wrong,
 * so guessing one is throttled per card: after `perCard` such answers in the window, every booking for that card
 * is told to wait, whatever the date of birth, until the window ends. Honest bookers never meet it.
 */
export function identityGuessLimiter(pool: pg.Pool, limits: { perCard: number; windowSeconds: number } = { perCard: 5, windowSeconds: 600 }) {
  const misses = sharedLimiter(pool, { keyPrefix: 'card-misses', points: limits.perCard, duration: limits.windowSeconds });
  // The card's number as typed, without separators or a trailing version code: each spelling is the same card.
  // Stored hashed: the counters table holds no health-card numbers.
  const key = (identifier: string | undefined) => createHash('sha256')
    .update((identifier ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase().replace(/(?<=\d)[A-Z]+$/, '')).digest('base64url');
  return {
    /** What the booking call needs to refuse this card itself when it has had its guesses (migration 018). */
    guard(identifier: string | undefined): { guessKey: string; guessLimit: number } | undefined {
      return identifier ? { guessKey: misses.getKey(key(identifier)), guessLimit: limits.perCard } : undefined;
    },
    /** Refuses (429) when any of these cards has had its guesses. */
    async check(identifiers: Array<string | undefined>, reply: FastifyReply): Promise<void> {
      for (const id of identifiers) {
        const state = id ? await misses.get(key(id)) : null;
        if (state && state.remainingPoints <= 0) {
          const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
          reply.header('retry-after', String(seconds));
          throw new ApiError(429, 'too_many_attempts', {
            en: `Too many attempts for this health card. Please wait ${waitText(seconds, 'en')}, or call us.`,
            fr: `Trop de tentatives pour cette carte santé. Veuillez patienter ${waitText(seconds, 'fr')}, ou appelez-nous.`,
          }, undefined, { retryAfterSeconds: seconds });
        }
      }
    },
    /** Counts one wrong date of birth for this card. */
    async miss(identifier: string | undefined): Promise<void> {
      if (identifier) await misses.penalty(key(identifier), 1);
    },
  };
}
