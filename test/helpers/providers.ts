/**
 * Real providers for notification tests: an SMTP server (smtp-server) and an
 * SMS endpoint (node:http) on loopback, each recording what it accepted. Like
 * a provider honouring idempotency, each drops a second copy of a message
 * (same Message-ID, same Idempotency-Key) and counts it.
 */
import http from 'node:http';
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  /** Accepted messages by Message-ID, in arrival order. */
  mail: Map<string, ParsedMail>;
  /** Copies of an already accepted Message-ID. */
  duplicates: number;
  /** Every DATA received, duplicates included. */
  received: number;
  /** Wait this long before answering each message's data (a slow server). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0, delayMs = 0): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, mail: new Map(), duplicates: 0, received: 0, delayMs, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        setTimeout(() => {
          simpleParser(Buffer.concat(chunks)).then((parsed) => {
            sink.received++;
            const id = parsed.messageId ?? `no-id-${sink.received}`;
            if (sink.mail.has(id)) sink.duplicates++;
            else sink.mail.set(id, parsed);
            callback();
          }, (err: Error) => callback(err));
        }, sink.delayMs);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  sink.port = (server.server.address() as net.AddressInfo).port;
  let closed: Promise<void> | undefined;
  sink.close = () => closed ??= new Promise<void>((resolve) => {
    // Open connections (a pooled client) would keep close() waiting: end them.
    server.close(() => resolve());
    for (const c of (server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) c.close();
  });
  return sink;
}

/** A TCP server that accepts connections and says nothing for `silentMs` (an SMTP server answering late). */
export async function startSilentServer(port = 0, silentMs = 10_000): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { port: 0, connections: 0, close: async () => {} };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    const t = setTimeout(() => socket.write('220 late hello\r\n'), silentMs);
    socket.on('close', () => { clearTimeout(t); sockets.delete(socket); });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  let closed: Promise<void> | undefined;
  state.close = () => closed ??= new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); });
  return state;
}

export interface SmsSink {
  url: string;
  port: number;
  /** Accepted texts by Idempotency-Key. */
  sms: Map<string, { to: string; text: string }>;
  duplicates: number;
  received: number;
  /** 'ok', or a status to answer every request with (e.g. 500). */
  answer: 'ok' | number;
  /** Twilio-shaped requests (form fields), when the test uses that adapter. */
  twilio: Array<{ path: string; auth: string | undefined; form: URLSearchParams }>;
  close(): Promise<void>;
}

export async function startSmsSink(port = 0): Promise<SmsSink> {
  const sink: SmsSink = { url: '', port: 0, sms: new Map(), duplicates: 0, received: 0, answer: 'ok', twilio: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (sink.answer !== 'ok') {
        res.writeHead(sink.answer, { 'content-type': 'application/json' }).end('{"error":"provider unavailable"}');
        return;
      }
      if (req.url?.includes('/Messages.json')) {
        const form = new URLSearchParams(body);
        sink.twilio.push({ path: req.url, auth: req.headers.authorization, form });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${sink.twilio.length}`, status: 'queued' }));
        return;
      }
      sink.received++;
      const key = String(req.headers['idempotency-key'] ?? `none-${sink.received}`);
      const parsed = JSON.parse(body) as { to: string; text: string };
      if (sink.sms.has(key)) sink.duplicates++;
      else sink.sms.set(key, { to: parsed.to, text: parsed.text });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${sink.sms.size}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  sink.port = (server.address() as net.AddressInfo).port;
  sink.url = `http://127.0.0.1:${sink.port}/sms`;
  let closed: Promise<void> | undefined;
  sink.close = () => closed ??= new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return sink;
}

/** Polls `check` until it returns true, or fails with `what` after `ms`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
