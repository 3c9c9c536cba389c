import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy in front of a server (PostgreSQL, SQL Server) that a test can cut, as when the server crashes or
 * the network drops: `cut` kills every open connection and refuses new ones until `restore`; `dropWhenSent`
 * kills the one connection whose client sends the given bytes, before they reach the server (a statement's
 * text, to drop a session in the middle of its transaction), and keeps serving new connections.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let trap: { bytes: Buffer; dropped: () => void } | undefined;

  /** Forwards the client's bytes, unless they complete the trap's bytes (looked for across chunk boundaries). */
  function forward(client: net.Socket, upstream: net.Socket) {
    let tail = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      const seen = Buffer.concat([tail, chunk]);
      if (trap && seen.includes(trap.bytes)) {
        const { dropped } = trap;
        trap = undefined;
        client.destroy();
        upstream.destroy();
        dropped();
        return;
      }
      tail = trap ? seen.subarray(Math.max(0, seen.length - trap.bytes.length + 1)) : Buffer.alloc(0);
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
  }

  async function listen() {
    if (server?.listening) return;
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => (socket === client ? upstream : client).destroy());
      }
      forward(client, upstream);
      upstream.pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  }

  await listen();
  return {
    port,
    async cut() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: listen,
    /** Resolves once a client sent `bytes` and its connection was dropped for it. */
    dropWhenSent(bytes: Buffer): Promise<void> {
      return new Promise((resolve) => (trap = { bytes, dropped: resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    },
  };
}
