#!/usr/bin/env node
// Stand-in for the jonbaier/node-express-info image: a small web server answering `/status/`
// (the seed's health check) and `/` with the host name and what the pod knows about itself.
import { hostname } from 'node:os';
import { podInfo, reply, serve } from './stand-in.mjs';

const started = new Date();
const host = () => process.env.POD_NAME || hostname();

serve({
  name: 'node-express-info',
  defaultPort: 80,
  handler(req, res) {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/status' || path === '/status/') {
      return reply(res, 200, { status: 'ok', hostname: host(), pod: podInfo(), started: started.toISOString(), uptimeSeconds: Math.round(process.uptime()) });
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<h1>Node.js Express info</h1>\n<p>Host: ${host()}</p>\n<p>Pod: ${process.env.POD_NAMESPACE}/${process.env.POD_NAME} at ${process.env.POD_IP}</p>\n`);
    }
    return reply(res, 404, `Cannot GET ${path}\n`);
  },
});
