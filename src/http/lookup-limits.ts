import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from './errors.js';

/**
 * A confirmation code plus a date of birth unlocks a booking, so guessing is
 * throttled twice: per client address and per code. In memory per instance
 * for now; rate-limiter-flexible's Redis store keeps the same API for many.
 */
export interface LookupLimits { perClient: number; perCode: number; windowSeconds: number }

export function lookupLimiter(limits: LookupLimits = { perClient: 100, perCode: 20, windowSeconds: 600 }) {
  const byClient = new RateLimiterMemory({ points: limits.perClient, duration: limits.windowSeconds });
  const byCode = new RateLimiterMemory({ points: limits.perCode, duration: limits.windowSeconds });
  return async function check(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const code = String((req.body as { confirmationCode?: unknown } | undefined)?.confirmationCode ?? '').replace(/[\s-]/g, '').toUpperCase();
    try {
      await byClient.consume(req.ip);
      if (code) await byCode.consume(code);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      reply.header('retry-after', String(seconds));
      throw new ApiError(429, 'too_many_attempts', {
        en: `Too many attempts. Please wait ${seconds} seconds and try again.`,
        fr: `Trop de tentatives. Veuillez patienter ${seconds} secondes, puis réessayer.`,
      }, undefined, { retryAfterSeconds: seconds });
    }
  };
}
