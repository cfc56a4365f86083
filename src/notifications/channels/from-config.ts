import path from 'node:path';
import type { Config } from '../../config.js';
import { DEFAULT_QUIET_HOURS } from '../../domain/delivery-policy.js';
import type { Channels, DeliverySettings } from '../delivery.js';
import { fileSender, smtpSender } from './email.js';
import { fileSmsSender, twilioSender, webhookSender } from './sms.js';

/** The providers the configuration names; without one, messages are written to files under the data directory (the demo). */
export function describeChannels(config: Config): string {
  const dir = path.join(config.VAXBOOK_DATA_DIR, 'messages');
  if (config.VAXBOOK_DELIVERY_WORKER === 'off') return 'not sent by this server (VAXBOOK_DELIVERY_WORKER=off: run `vaxbook worker`)';
  return `${config.VAXBOOK_SMTP_URL ? 'e-mail over SMTP' : `e-mail written to ${path.join(dir, 'email')} (set VAXBOOK_SMTP_URL to send)`}; `
    + `${config.VAXBOOK_SMS_PROVIDER === 'file' ? `SMS written to ${path.join(dir, 'sms')} (set VAXBOOK_SMS_PROVIDER to send)` : `SMS through ${config.VAXBOOK_SMS_PROVIDER}`}`;
}

export function channelsFromConfig(config: Config): Channels {
  const timeout = config.VAXBOOK_PROVIDER_TIMEOUT_SECONDS * 1000;
  const dir = path.join(config.VAXBOOK_DATA_DIR, 'messages');
  const email = config.VAXBOOK_SMTP_URL
    ? smtpSender(config.VAXBOOK_SMTP_URL, config.VAXBOOK_MAIL_FROM, timeout)
    : fileSender(path.join(dir, 'email'), config.VAXBOOK_MAIL_FROM);
  const provider = config.VAXBOOK_SMS_PROVIDER;
  const sms = provider === 'webhook' ? webhookSender(config.VAXBOOK_SMS_URL!, config.VAXBOOK_SMS_TOKEN, timeout)
    : provider === 'twilio' ? twilioSender(config.VAXBOOK_SMS_URL ?? 'https://api.twilio.com', config.VAXBOOK_SMS_ACCOUNT!, config.VAXBOOK_SMS_TOKEN!, config.VAXBOOK_SMS_FROM!, timeout)
    : fileSmsSender(path.join(dir, 'sms'));
  return { email, sms };
}

export function deliverySettings(config: Config, publicUrl: string): DeliverySettings {
  return {
    retry: { maxAttempts: config.VAXBOOK_DELIVERY_MAX_ATTEMPTS, baseMs: config.VAXBOOK_DELIVERY_RETRY_SECONDS * 1000, capMs: 3_600_000 },
    // Longer than the longest send (connect, greeting, then the data under the socket timeout).
    leaseMs: config.VAXBOOK_PROVIDER_TIMEOUT_SECONDS * 4000 + 5000,
    reminderHours: config.VAXBOOK_REMINDER_HOURS,
    quietHours: DEFAULT_QUIET_HOURS,
    countryCode: config.VAXBOOK_SMS_COUNTRY_CODE,
    publicUrl,
  };
}
