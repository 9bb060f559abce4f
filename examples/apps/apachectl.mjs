#!/usr/bin/env node
// Stand-in for /usr/local/bin/apachectl (the catalog maps that path in the bitnami/apache image
// to this program, so the seed's preStop hook `apachectl -k graceful-stop` runs it): asks the
// pod's apache stand-in, at $POD_IP:$PORT, to stop. Exit 0 once it acknowledged, 1 otherwise.
import { request } from 'node:http';

const k = process.argv.indexOf('-k');
const verb = k === -1 ? undefined : process.argv[k + 1];
if (verb !== 'graceful-stop' && verb !== 'stop') {
  console.error('usage: apachectl -k graceful-stop|stop');
  process.exit(1);
}
const host = process.env.POD_IP || '127.0.0.1';
const port = Number(process.env.PORT || 80);
const req = request({ host, port, method: 'POST', path: `/.kite-apachectl/${verb}`, timeout: 5000 }, (res) => {
  res.resume();
  res.on('end', () => {
    if (res.statusCode === 200) console.log(`apachectl: ${verb} sent to httpd at ${host}:${port}`);
    else console.error(`apachectl: httpd at ${host}:${port} answered ${res.statusCode}`);
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (e) => {
  console.error(`apachectl: httpd not running at ${host}:${port}: ${e.message}`);
  process.exit(1);
});
req.end();
