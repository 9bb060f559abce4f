// OpenAPI through the real kubectl against the real runtime (issue 10 point 5): `kubectl explain`
// prints Kubernetes' field docs, applying a kind the runtime does not serve says so as a real
// cluster does, client-side apply computes its patch from the served schemas, server-side apply
// still works, and the documents are cached by content hash as kube-apiserver's are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRuntime } from '../../harness.ts';
import { startRawRuntime, type Send } from '../raw-http.ts';

let rt: TestRuntime;
let send: Send;
beforeAll(async () => void ({ rt, send } = await startRawRuntime()), 60_000);
afterAll(() => rt?.close());

const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: hello, image: busybox}]
          restartPolicy: OnFailure
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
`;
const pod = (image: string, labels: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {${labels}}
spec:
  containers:
  - name: nginx
    image: ${image}
    ports: [{containerPort: 80}]
`;

describe('kubectl explain', () => {
  it('prints a field list with Kubernetes descriptions: pod.spec.containers', async () => {
    const { code, stdout, stderr } = await rt.kubectl(['explain', 'pod.spec.containers']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n');
    expect(stdout).toContain('    List of containers belonging to the pod. Containers cannot currently be\n');
    expect(stdout).toContain('FIELDS:\n  args\t<[]string>\n');
    expect(stdout).toContain('  image\t<string>\n    Container image name. More info:\n');
    expect(stdout).toContain('  name\t<string> -required-\n');
    expect(stdout).toContain('  ports\t<[]ContainerPort>\n');
    expect(stdout).toMatch(/ {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never\n/);
  });

  it('prints one field: svc.spec.ports.port', async () => {
    const { code, stdout } = await rt.kubectl(['explain', 'svc.spec.ports.port']);
    expect(code).toBe(0);
    expect(stdout).toBe('KIND:       Service\nVERSION:    v1\n\nFIELD: port <integer>\n\n\nDESCRIPTION:\n    The port that will be exposed by this service.\n    \n\n');
  });

  it('prints a kind: pods, and a group kind recursively', async () => {
    const pods = await rt.kubectl(['explain', 'pods']);
    expect(pods.stdout).toContain('DESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n');
    expect(pods.stdout).toContain('  spec\t<PodSpec>\n    Specification of the desired behavior of the pod. More info:\n');
    expect(pods.stdout).toContain('  apiVersion\t<string>\n');
    const rs = await rt.kubectl(['explain', 'rs', '--recursive']);
    expect(rs.code).toBe(0);
    expect(rs.stdout).toContain('GROUP:      apps\nKIND:       ReplicaSet\nVERSION:    v1\n');
    expect(rs.stdout).toMatch(/\n {8}containers\t<\[\]Container> -required-\n {10}args\t<\[\]string>\n/);
    expect(rs.stdout).toMatch(/\n {16}port\t<IntOrString> -required-\n/);
    expect(rs.stdout).toMatch(/\n {12}limits\t<map\[string\]Quantity>\n/);
  });

  it('says which field does not exist', async () => {
    const { code, stderr } = await rt.kubectl(['explain', 'pod.spec.nope']);
    expect(code).toBe(1);
    expect(stderr).toBe('error: field "nope" does not exist\n');
  });
});

describe('kubectl apply', () => {
  it('of a kind the runtime does not serve says so, as a real cluster does', async () => {
    const cj = await rt.kubectl(['apply', '-f', '-'], { input: CRONJOB });
    expect(cj.code).toBe(1);
    expect(cj.stderr).toBe('error: resource mapping not found for name: "hello" namespace: "" from "STDIN": no matches for kind "CronJob" in version "batch/v1"\nensure CRDs are installed first\n');
    // Deployments are served (apps/v1).
    const deploy = await rt.kubectl(['apply', '-f', '-'], { input: DEPLOYMENT });
    expect(deploy.stdout).toBe('deployment.apps/d created\n');
  });

  it('client-side computes a strategic merge patch from the served schema; server-side apply still works', async () => {
    expect((await rt.kubectl(['apply', '-f', '-'], { input: pod('nginx:1.24', 'app: web, tier: frontend') })).stdout).toBe('pod/web created\n');
    const again = await rt.kubectl(['apply', '-f', '-', '-v=8'], { input: pod('nginx:1.25', 'app: web') });
    expect(again.stdout).toBe('pod/web configured\n');
    expect(again.stderr).toContain('\\"$setElementOrder/containers\\":[{\\"name\\":\\"nginx\\"}]');
    expect(again.stderr).toContain('fieldValidation=Strict');
    const live = JSON.parse((await rt.kubectl(['get', 'pod', 'web', '-o', 'json'])).stdout);
    expect(live.metadata.labels).toEqual({ app: 'web' });
    expect(live.spec.containers[0].image).toBe('nginx:1.25');
    const ssa = await rt.kubectl(['apply', '--server-side', '-f', '-'], { input: pod('nginx:1.25', 'app: web') });
    expect(ssa.stderr).toBe('');
    expect(ssa.stdout).toBe('pod/web serverside-applied\n');
    const strict = await rt.kubectl(['apply', '-f', '-'], { input: pod('nginx:1.26', 'app: web').replace('    image:', '    imagee: x\n    image:') });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown field "spec.containers[0].imagee"');
  });
});

describe('document caching', () => {
  it('names each document by its content hash, with an ETag, and redirects a stale hash', async () => {
    const root = JSON.parse((await send('GET', '/openapi/v3')).body) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(root.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1']));
    const url = root.paths['api/v1']!.serverRelativeURL;
    const hash = /\?hash=([0-9A-F]{128})$/.exec(url)?.[1];
    expect(hash).toBeDefined();
    const doc = await send('GET', url);
    expect(doc.status).toBe(200);
    expect(doc.headers.etag).toBe(`"${hash}"`);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(JSON.parse(doc.body).components.schemas['io.k8s.api.core.v1.Pod']).toBeDefined();
    const again = await send('GET', url, undefined, undefined, { 'If-None-Match': `"${hash}"` });
    expect(again.status).toBe(304);
    const stale = await send('GET', '/openapi/v3/api/v1?hash=0123');
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
  });
});
