// A plain HTTP server on loopback that records every request kubectl sends it and answers from a
// route table: for seeing exactly what bytes kubectl's encoders produce.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CapturedRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: Buffer;
}

/** An answer: status and a JSON body. */
export type Route = (req: CapturedRequest) => { status: number; body: unknown } | undefined;

export interface CaptureServer {
  readonly requests: CapturedRequest[];
  /** Runs `kubectl` (the binary given) against this server. */
  kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

const notFound = { status: 404, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 } };

export async function startCaptureServer(kubectlBinary: string, route: Route): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://capture');
    const captured = { method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) };
    requests.push(captured);
    const answer = route(captured) ?? notFound;
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const dir = await mkdtemp(join(tmpdir(), 'kite-capture-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'capture', cluster: { server: url } }],
      users: [{ name: 'capture', user: {} }],
      contexts: [{ name: 'capture', context: { cluster: 'capture', user: 'capture', namespace: 'default' } }],
      'current-context': 'capture',
    }),
  );
  return {
    requests,
    kubectl: (args) =>
      new Promise((done) => {
        execFile(kubectlBinary, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
          done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
