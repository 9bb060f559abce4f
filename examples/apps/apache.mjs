#!/usr/bin/env node
// Stand-in for the bitnami/apache image: serves a page on port 80 and stops as httpd does —
// at once on SIGTERM, or gracefully (finishing the requests in flight) when `apachectl -k
// graceful-stop` asks. ./apachectl.mjs reaches the server over HTTP at $POD_IP:$PORT, since a
// hook's process may not share a PID namespace or /tmp with the server's.
import { reply, serve } from './stand-in.mjs';

/** The control path ./apachectl.mjs posts to, and the `-k` verbs this stand-in understands. */
const CONTROL_PATH = '/.kite-apachectl/';
const VERBS = { 'graceful-stop': 'AH00492: caught SIGWINCH, shutting down gracefully', stop: 'AH00169: caught SIGTERM, shutting down' };

const { stop } = serve({
  name: 'apache',
  defaultPort: 80,
  onSigterm: (stop) => stop(VERBS.stop),
  handler(req, res) {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'POST' && path.startsWith(CONTROL_PATH)) {
      const verb = path.slice(CONTROL_PATH.length);
      if (!(verb in VERBS)) return reply(res, 400, `unknown -k ${verb}\n`);
      reply(res, 200, `${verb}\n`);
      return void res.on('finish', () => stop(VERBS[verb]));
    }
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<html><body><h1>It works!</h1></body></html>\n');
    }
    return reply(res, 404, 'Not Found\n');
  },
});
