/**
 * E-mail over SMTP with nodemailer (pooled connections, TLS, timeouts), or
 * into .eml files when no SMTP server is configured (the demo), so the
 * messages can be opened. The Message-ID is the outbox key: a message sent
 * again after a crash carries the same one, for the receiving server to drop.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError } from '../delivery-error.js';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  calendar?: { content: string; method: 'REQUEST' | 'CANCEL' };
}

export interface EmailSender {
  send(email: Email): Promise<string>;
  close(): void;
}

function classify(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  // 5xx from the server: this address or message is refused for good; anything else (no connection, timeout, 4xx) may pass later.
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
  return new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${(e.message ?? String(err)).slice(0, 300)}`, permanent);
}

function mail(from: string, email: Email) {
  return {
    from, to: email.to, subject: email.subject, text: email.text, html: email.html, messageId: email.messageId,
    icalEvent: email.calendar && { method: email.calendar.method, filename: 'appointment.ics', content: email.calendar.content },
  };
}

export function smtpSender(url: string, from: string, timeoutMs: number): EmailSender {
  const transport: Transporter = nodemailer.createTransport({
    url, pool: true, maxConnections: 4,
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 2,
  } as nodemailer.TransportOptions);
  return {
    async send(email) {
      try {
        const info = await transport.sendMail(mail(from, email));
        return String(info.messageId ?? email.messageId);
      } catch (err) {
        throw classify(err);
      }
    },
    close: () => transport.close(),
  };
}

export function fileSender(dir: string, from: string): EmailSender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(email) {
      const info = await transport.sendMail(mail(from, email));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${email.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_')}.eml`);
      fs.writeFileSync(file, info.message as Buffer);
      return file;
    },
    close: () => transport.close(),
  };
}
