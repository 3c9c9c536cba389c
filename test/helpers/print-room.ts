import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on a loopback port (smtp-server), keeping each message it accepts, parsed. `stop` closes
 * it (connections are refused, as when the shop's mail server is down); `start` opens it again on the same port.
 */
export async function startSmtpServer() {
  const received: ParsedMail[] = [];
  let port = 0;
  let server: SMTPServer | undefined;
  const open = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, done) => (auth.username === 'kits' && auth.password === 's3cret' ? done(null, { user: auth.username }) : done(new Error('535 bad login'))),
      onData: (stream, _session, done) => {
        simpleParser(stream).then((mail) => (received.push(mail), done()), done);
      },
    });
    server.listen(port, '127.0.0.1');
    await once(server.server, 'listening');
    port = (server.server.address() as AddressInfo).port;
  };
  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await open();
  return { received, url: () => `smtp://kits:s3cret@127.0.0.1:${port}`, stop, start: open };
}

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** answered 2xx */
  accepted: boolean;
}

/**
 * A real HTTP receiver on a loopback port. `answer` says how it answers the next requests: with a status (and
 * headers), or `hang` (it keeps the request and never answers, as a receiver stuck mid-request).
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: { status: number; headers?: Record<string, string> } | 'hang' = { status: 204 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), accepted: answer !== 'hang' && answer.status < 300 });
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.headers).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/print-room`,
    answer: (next: typeof answer) => void (answer = next),
    /** ends every open request, as when the receiver is restarted: a hanging one's sender sees the connection drop */
    dropConnections: () => server.closeAllConnections(),
    close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
