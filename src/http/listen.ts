import http from 'node:http';

/**
 * The HTTP server in front of the app. A client that sends its request too slowly, stops half way or promises
 * more bytes than it sends is cut off after `requestTimeoutMs` with 408, so it cannot hold a connection or a
 * body buffer for long.
 */
export function createHttpServer(callback: http.RequestListener, { requestTimeoutMs }: { requestTimeoutMs: number }) {
  const server = http.createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 20_000),
      // How often Node checks those timeouts (default 30 s, far coarser than the timeouts themselves).
      connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
    },
    callback,
  );
  server.keepAliveTimeout = 5_000;
  return server;
}

/** Listens, or fails with one line saying why (the port is taken, or not ours to take). */
export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `PORT ${port} on HOST ${host}`;
      if (error.code === 'EADDRINUSE') reject(new Error(`${where} is already in use (another kitbridge, or another program): stop it or set PORT`));
      else if (error.code === 'EACCES') reject(new Error(`${where} needs privileges this user does not have: use a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new Error(`HOST ${host} is not an address of this machine`));
      else reject(error);
    });
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
