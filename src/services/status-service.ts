import type pg from 'pg';
import { waitingByChannel } from '../db/repositories/outbox-repository.js';
import { channelStatus, overallStatus, type Channel, type ComponentStatus } from '../domain/service-status.js';
import { readiness } from './health-service.js';

export interface ServiceStatus {
  status: ComponentStatus;
  checkedAt: string;
  components: Array<{ id: 'booking' | Channel; status: ComponentStatus; waiting?: number; delayMinutes?: number }>;
}

const CHANNELS: Channel[] = ['email', 'sms', 'letter'];
/** A launch-day crowd refreshing the status page costs one look at the database per process every 15 s. */
export const STATUS_CACHE_SECONDS = 15;
const cache = new WeakMap<pg.Pool, { at: number; value: ServiceStatus }>();

/** How each part of the service is doing, from the database (cached briefly); never throws. */
export async function serviceStatus(pool: pg.Pool, now = new Date(), maxAgeMs = STATUS_CACHE_SECONDS * 1000): Promise<ServiceStatus> {
  const cached = cache.get(pool);
  if (cached && Math.abs(now.getTime() - cached.at) < maxAgeMs) return cached.value;
  const ready = await readiness(pool).catch(() => ({ ready: false }));
  let channels: ServiceStatus['components'];
  try {
    const facts = new Map((await waitingByChannel(pool)).map((w) => [w.channel, w]));
    channels = CHANNELS.map((id) => {
      const f = facts.get(id);
      return { id, ...channelStatus(id, { waiting: f?.waiting ?? 0, retrying: f?.retrying ?? 0, oldestDueAt: f?.oldest_due ?? null, oldestRetryingSince: f?.oldest_retrying ?? null }, now) };
    });
  } catch {
    channels = CHANNELS.map((id) => ({ id, status: 'unknown' as const }));
  }
  const components = [{ id: 'booking' as const, status: (ready.ready ? 'operational' : 'disrupted') as ComponentStatus }, ...channels];
  const value = { status: overallStatus(components.map((c) => c.status)), checkedAt: now.toISOString(), components };
  cache.set(pool, { at: now.getTime(), value });
  return value;
}
