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
