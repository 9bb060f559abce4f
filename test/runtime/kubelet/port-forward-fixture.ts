/** What the port-forward tests share: a pod (and a Service with a named targetPort) answering HTTP on 8080, and a client for it. */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Pod } from '../../../lib/api/model.ts';
import { eventually, type TestRuntime } from '../harness.ts';
import { podWhere, shell } from './backends/process/helpers.ts';

/** An HTTP server on the pod's IP, port 8080, answering with the pod's name and the request's body length. */
const SERVER = `exec node -e '
const http = require("node:http");
http.createServer((req, res) => { let n = 0; req.on("data", (c) => (n += c.length)); req.on("end", () => res.end("pod " + process.env.POD_NAME + " got " + n)); })
  .listen(8080, process.env.POD_IP);
'`;

/** The container that serves it. */
export function webContainer(marker: string): Container {
  return shell('web', SERVER, marker, { ports: [{ name: 'http', containerPort: 8080 }] });
}

/** Pod `name` labelled app=`name`, container port 8080 named `http`, and Service `name` (port 80 → targetPort `http`); resolves once it listens. */
export async function startWebPod(rt: TestRuntime, name: string, marker: string): Promise<Pod> {
  await rt.runtime.client.create('pods', 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { terminationGracePeriodSeconds: 5, containers: [webContainer(marker)] },
  });
  await rt.runtime.client.create('services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: name }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
  });
  return servingPod(rt, name);
}

/** Waits until pod `name` runs and answers on 8080. */
export async function servingPod(rt: TestRuntime, name: string): Promise<Pod> {
  const pod = await podWhere(rt, name, (p) => p.status?.phase === 'Running', 'running');
  // Listening is not part of Running: wait until the port answers.
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect({ host: pod.status!.podIP!, port: 8080 });
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      }),
    { what: `pod ${name} to listen on 8080` },
  );
  return pod;
}

/** GET (or POST `body`) http://127.0.0.1:port/, resolving with the answer's text. */
export function httpGet(port: number, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: body ? 'POST' : 'GET', agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}
