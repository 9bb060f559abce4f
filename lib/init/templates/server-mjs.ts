/**
 * `app/server.mjs`: what the scaffold's image runs on the local control plane. Self-contained (the
 * new repo has no other code): it binds the pod's own loopback address ($POD_IP) on $PORT, which
 * kite sets from the container port, answers the health path, and stops cleanly on SIGTERM.
 */
export const SERVER_MJS = `// The program behind the image example/hello on kite's local control plane (kite.images.yaml).
import { createServer } from 'node:http';

const host = process.env.POD_IP || '127.0.0.1';
const port = Number(process.env.PORT || 8080);
const greeting = process.env.GREETING || 'Hello';

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\\n');
  } else if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(\`\${greeting} (pod \${process.env.POD_NAME ?? 'unknown'})\\n\`);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\\n');
  }
});

server.on('error', (e) => {
  console.error(\`cannot listen on \${host}:\${port}: \${e.message}\`);
  process.exit(1);
});
server.listen(port, host, () => console.log(\`listening on http://\${host}:\${port}\`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(\`\${signal}: shutting down\`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
`;
