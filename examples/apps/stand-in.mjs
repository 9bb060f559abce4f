// What every stand-in program shares: it binds $POD_IP (default 127.0.0.1, since pods of one
// node share the host's ports and each gets its own loopback address) on $PORT (kite sets it to
// the container's first containerPort), logs to stdout, and stops cleanly on SIGTERM.
import { createServer } from 'node:http';

/**
 * Starts `handler` as an HTTP server; returns a `stop(reason)` that closes it (letting requests
 * in flight finish) and exits 0. A port that is taken is an error on stderr and exit 1.
 */
export function serve({ name, defaultPort, handler, onSigterm }) {
  const host = process.env.POD_IP || '127.0.0.1';
  const port = Number(process.env.PORT || defaultPort);
  const log = (line) => console.log(`${new Date().toISOString()} ${name}: ${line}`);
  const server = createServer((req, res) => {
    log(`${req.method} ${req.url}`);
    Promise.resolve(handler(req, res)).catch((e) => {
      res.writeHead(500).end(`${e.message}\n`);
    });
  });
  let stopping = false;
  const stop = (reason) => {
    if (stopping) return;
    stopping = true;
    log(reason);
    server.close(() => {
      log('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  server.on('error', (e) => {
    console.error(`${name}: cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => log(`listening on http://${host}:${port}`));
  process.on('SIGTERM', () => (onSigterm ? onSigterm(stop) : stop('received SIGTERM, shutting down')));
  process.on('SIGINT', () => stop('received SIGINT, shutting down'));
  return { stop, log, host, port };
}

/** Replies with `body` as JSON (a string body as text). */
export function reply(res, status, body) {
  if (typeof body === 'string') res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  else res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);
}

/** What the pod says about itself, from the variables kite sets. */
export function podInfo() {
  return {
    name: process.env.POD_NAME,
    namespace: process.env.POD_NAMESPACE,
    ip: process.env.POD_IP,
  };
}
