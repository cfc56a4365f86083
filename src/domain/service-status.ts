/**
 * The public service status: what a person, a journalist or a ministry operator is told about each part of the
 * service, from facts the database holds. Pure: the facts come in, the verdict goes out.
 */

export type ComponentStatus = 'operational' | 'delayed' | 'disrupted' | 'unknown';
/** How a message reaches a person. */
export type Channel = 'email' | 'sms' | 'letter';

/** What the outbox says about one channel right now. */
export interface ChannelFacts {
  /** Messages not yet sent (queued, retrying or being sent), held ones (SMS quiet hours) included. */
  waiting: number;
  /** Messages the provider failed at least once and that wait for another attempt. */
  retrying: number;
  /** The earliest moment a waiting message was due and still is not sent (null: none overdue). */
  oldestDueAt: Date | null;
  /** When the oldest message still retrying was written (null: none). */
  oldestRetryingSince: Date | null;
}

export interface ComponentVerdict { status: ComponentStatus; waiting: number; delayMinutes: number }

// E-mail and SMS normally leave within seconds; letters leave in the daily print batch.
const LIMITS: Record<Channel, { delayed: number; disrupted: number }> = {
  email: { delayed: 5, disrupted: 30 },
  sms: { delayed: 5, disrupted: 30 },
  letter: { delayed: 26 * 60, disrupted: 50 * 60 },
};
/** Retries of this many messages at once mean a provider in trouble, not one bad address. */
const RETRYING_MANY = 5;

const minutesSince = (d: Date | null, now: Date) => (d ? Math.max(0, Math.floor((now.getTime() - d.getTime()) / 60_000)) : 0);

/**
 * A channel is delayed when a message due for `delayed` minutes is still waiting, or many are being retried;
 * disrupted when one has waited `disrupted` minutes, or retries have gone on that long. A message held on
 * purpose (an SMS at night) is not due, so it never makes a channel look late.
 */
export function channelStatus(channel: Channel, f: ChannelFacts, now: Date): ComponentVerdict {
  const late = minutesSince(f.oldestDueAt, now);
  const retryingFor = minutesSince(f.oldestRetryingSince, now);
  const limit = LIMITS[channel];
  const status: ComponentStatus = late >= limit.disrupted || (f.retrying > 0 && retryingFor >= limit.disrupted) ? 'disrupted'
    : late >= limit.delayed || f.retrying >= RETRYING_MANY ? 'delayed' : 'operational';
  return { status, waiting: f.waiting, delayMinutes: late };
}

/** How bad each status is, for comparing them and for the metric operators alert on. */
export const SEVERITY: Record<ComponentStatus, number> = { operational: 0, unknown: 1, delayed: 2, disrupted: 3 };

/** The service as a whole is as well as its worst part. */
export function overallStatus(statuses: ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), 'operational');
}
