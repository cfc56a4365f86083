/**
 * When a message is tried again, when an SMS may be sent, and how a phone
 * number is written for a provider. Pure: the worker supplies the clock and
 * the randomness.
 */
import { localParts } from './calendar.js';

export interface RetryPolicy {
  /** Attempts in all before a message is dead (kept for an administrator to retry). */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, with
 * "equal jitter" — half of it fixed, half random — so messages that failed
 * together (a provider outage) do not all come back at the same instant.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random)));
}

export type FailureOutcome = { status: 'dead' } | { status: 'failed'; retryInMs: number };

/** What a failure leads to: another try later, or a dead letter when attempts are used up or the provider refused for good. */
export function afterFailure(policy: RetryPolicy, attempt: number, permanent: boolean, random: number): FailureOutcome {
  if (permanent || attempt >= policy.maxAttempts) return { status: 'dead' };
  return { status: 'failed', retryInMs: retryDelayMs(policy, attempt, random) };
}

export interface QuietHours {
  /** Local hour from which no SMS is sent (21 = 9 p.m.). */
  startHour: number;
  /** Local hour at which sending resumes (8 = 8 a.m.). */
  endHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

/** The instant of a local wall-clock time in a time zone (the later one when clocks go back, the first valid one when they spring forward). */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, hour: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  let t = guess;
  // Two corrections settle any offset, including across a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(t), timeZone);
    const shownAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    t += guess - shownAsUtc;
  }
  return new Date(t);
}

/**
 * When an SMS due at `now` may go: now, or — between the start and end of the
 * quiet hours in the recipient's time zone — the next morning's end hour.
 */
export function smsSendableAt(now: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const local = localParts(now, timeZone);
  const overnight = quiet.startHour > quiet.endHour;
  const inQuiet = overnight ? local.hour >= quiet.startHour || local.hour < quiet.endHour : local.hour >= quiet.startHour && local.hour < quiet.endHour;
  if (!inQuiet) return now;
  // After the start hour the morning is tomorrow's; after midnight, today's.
  const tomorrow = overnight && local.hour >= quiet.startHour;
  const base = new Date(Date.UTC(local.year, local.month - 1, local.day + (tomorrow ? 1 : 0)));
  return zonedInstant(timeZone, base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), quiet.endHour);
}

/**
 * A mobile number as providers want it (E.164): "+" and digits. A number typed
 * without a country code gets the jurisdiction's; null when it cannot be a phone number.
 */
export function toE164(typed: string, countryCode: string): string | null {
  const trimmed = typed.trim();
  let digits = trimmed.replace(/[\s().-]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (!digits.startsWith('+')) {
    // North American numbers are often typed with their trunk prefix 1; others with a leading 0.
    if (countryCode === '1' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    digits = `+${countryCode}${digits.replace(/^0/, '')}`;
  }
  return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : null;
}

/**
 * A circuit breaker per channel: after `threshold` failures in a row the
 * provider is left alone for `coolDownMs` — messages due meanwhile wait
 * without using an attempt — then one message tries it again.
 */
export interface BreakerPolicy { threshold: number; coolDownMs: number }
export interface Breaker { failures: number; openUntil: number }

export const DEFAULT_BREAKER: BreakerPolicy = { threshold: 5, coolDownMs: 30_000 };

export const closedBreaker = (): Breaker => ({ failures: 0, openUntil: 0 });

/** Until when a message must wait, or null when the provider may be tried (a probe once the cool-down is over). */
export function breakerWait(b: Breaker, now: number): number | null {
  return b.openUntil > now ? b.openUntil : null;
}

export function breakerAfter(b: Breaker, policy: BreakerPolicy, ok: boolean, now: number): Breaker {
  if (ok) return closedBreaker();
  const failures = b.failures + 1;
  return { failures, openUntil: failures >= policy.threshold ? now + policy.coolDownMs : b.openUntil };
}

// The words carriers and people use to stop messages, in English and French.
const STOP_WORDS = /^\s*(stop|stopall|unsubscribe|cancel|end|quit|arret|arrêt|arreter|arrêter|desabonner|désabonner)\b/i;

/** Whether a reply to our SMS asks for no more of them. */
export function isStopReply(text: string): boolean {
  return STOP_WORDS.test(text);
}
