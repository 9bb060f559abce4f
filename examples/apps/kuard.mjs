#!/usr/bin/env node
// Stand-in for kuard (the Kubernetes Up and Running demo, kuard-amd64): `/healthy` and `/ready`
// for probes, `/env` with the command line and environment, `/` a page. Health can be made to
// fail on demand, for liveness and readiness experiments:
//   POST /fail/healthy[?times=N]   /healthy answers 500 (the next N times, or until healed)
//   POST /fail/ready[?times=N]     the same for /ready
//   POST /heal/healthy, /heal/ready
//   POST /memory?mb=N              holds N more MiB (to meet a memory limit)
//   POST /exit?code=N              exits with code N
// IGNORE_SIGTERM=1 makes it log SIGTERM and keep running (to watch the SIGKILL that follows).
import { podInfo, reply, serve } from './stand-in.mjs';

/** Remaining failures per check: Infinity until healed, 0 when healthy. */
const failing = { healthy: 0, ready: 0 };
const held = [];

const { log } = serve({
  name: 'kuard',
  defaultPort: 8080,
  onSigterm: (stop) => (process.env.IGNORE_SIGTERM === '1' ? log('received SIGTERM, ignoring it') : stop('received SIGTERM, shutting down')),
  handler(req, res) {
    const url = new URL(req.url, 'http://x');
    const [, action, check] = url.pathname.split('/');
    if (req.method === 'GET' && (action === 'healthy' || action === 'ready') && check === undefined) {
      if (failing[action] > 0) {
        failing[action]--;
        return reply(res, 500, `${action}: failing on request\n`);
      }
      return reply(res, 200, 'ok\n');
    }
    if (req.method === 'POST' && (action === 'fail' || action === 'heal') && check in failing) {
      const times = Number(url.searchParams.get('times') ?? Infinity);
      failing[check] = action === 'heal' ? 0 : times;
      return reply(res, 200, `${check}: ${action === 'heal' ? 'healthy' : `failing${Number.isFinite(times) ? ` ${times} times` : ''}`}\n`);
    }
    if (req.method === 'POST' && action === 'memory') {
      const mb = Number(url.searchParams.get('mb') ?? 0);
      for (let i = 0; i < mb; i++) held.push(Buffer.alloc(1024 * 1024, 1));
      return reply(res, 200, `holding ${held.length} MiB\n`);
    }
    if (req.method === 'POST' && action === 'exit') {
      const code = Number(url.searchParams.get('code') ?? 0);
      reply(res, 200, `exiting with ${code}\n`);
      log(`exiting with code ${code} on request`);
      return void setImmediate(() => process.exit(code));
    }
    if (req.method === 'GET' && action === 'env') return reply(res, 200, { commandLine: process.argv, env: process.env });
    if (req.method === 'GET' && action === '') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const pod = podInfo();
      return res.end(`<h1>kuard</h1>\n<p>Pod ${pod.namespace}/${pod.name} at ${pod.ip}</p>\n<p>healthy: ${failing.healthy === 0}, ready: ${failing.ready === 0}</p>\n`);
    }
    return reply(res, 404, 'not found\n');
  },
});
