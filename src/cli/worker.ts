import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { channelsFromConfig, deliverySettings, describeChannels } from '../notifications/channels/from-config.js';
import { startDeliveryWorker } from '../notifications/worker.js';

/**
 * `worker`: delivers messages in its own process (with VAXBOOK_DELIVERY_WORKER=off
 * on the servers). Several may run at once; each message is sent by one of them.
 */
export async function runWorker(config: Config, db: Database, say: (m: string) => void): Promise<number> {
  await migrate(db.pool);
  const channels = channelsFromConfig(config);
  const worker = await startDeliveryWorker({
    pool: db.pool, channels, settings: deliverySettings(config, config.VAXBOOK_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}/`),
    onError: (err, what) => say(`delivery: ${what} failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  say(`vaxbook worker: delivering messages (${describeChannels({ ...config, VAXBOOK_DELIVERY_WORKER: 'in-process' })}). Press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('Stopping the worker: messages being sent are finished first…');
  await worker.stop();
  channels.email.close();
  return 0;
}
