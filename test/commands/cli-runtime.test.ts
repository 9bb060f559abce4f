// `kite get|describe|status|node` as a user runs them (the bundled CLI, a separate process)
// against a real runtime started in-process, compared with what the real kubectl prints for
// the same objects.
import { execFile, execFileSync } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { writeRecord } from '../../commands/state-dir.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';
import { runKite, SEED, type RunResult } from '../support/kite.ts';

const KUBECTL = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return 'kubectl';
  } catch {
    return undefined;
  }
})();

let rt: Runtime;
let dir: string;

function kubectl(args: string[]): Promise<RunResult> {
  return new Promise((done) => {
    execFile(KUBECTL!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'kubectl-cache'), ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr });
    });
  });
}

function kite(args: string[]): Promise<RunResult> {
  return runKite([...args, '--state-dir', dir]);
}

/** Waits for `check` to hold, polling, up to a deadline (no fixed sleeps as synchronisation). */
async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Ages (`4s`, `2m10s`, `(x3 over 2m)`) differ between two runs a moment apart; nothing else may. */
function normalise(r: RunResult): string {
  const ages = (s: string) => s.replace(/\b\d+(?:s|m|h|d|y)(?:\d+(?:s|m|h|d))?\b/g, 'AGE');
  // kubectl warns about the extensions/v1beta1 ReplicaSet alias kite serves for old manifests
  const stderr = r.stderr.replace(/^Warning: short name .*\n/gm, '');
  return `exit ${r.code}\n--- stdout\n${ages(r.stdout)}--- stderr\n${ages(stderr)}`;
}

/**
 * kite's Service table has one column more than kubectl's (ENDPOINTS, lib/kubectl/service-columns.ts):
 * cut out of every table that has it, what is left is kubectl's, byte for byte.
 */
function withoutEndpointsColumn(r: RunResult): RunResult {
  const blocks = r.stdout.split('\n\n').map((block) => {
    const lines = block.split('\n');
    // A Service table (kubectl get endpoints has an ENDPOINTS column of its own).
    const at = lines[0]!.includes('CLUSTER-IP') ? lines[0]!.search(/(?<=\s)ENDPOINTS\s/) : -1;
    if (at < 0) return block;
    const width = /^ENDPOINTS\s+/.exec(lines[0]!.slice(at))![0].length;
    return lines.map((l) => l.slice(0, at) + l.slice(at + width)).join('\n');
  });
  return { ...r, stdout: blocks.join('\n\n') };
}

/** kite prints what kubectl prints (the cluster may still settle: compared until equal, with a deadline). */
async function sameAsKubectl(args: string[]): Promise<RunResult> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [want, kiteGot] = await Promise.all([kubectl(args), kite(args)]);
    const got = withoutEndpointsColumn(kiteGot);
    if (normalise(want) === normalise(got) || Date.now() > deadline) {
      expect(normalise(got), `kite ${args.join(' ')}`).toBe(normalise(want));
      return got;
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-commands-'));
  rt = await startRuntime({ stateDir: dir, nodes: 3, nodeCpu: '1', nodeMemory: '2Gi', simulate: true });
  await writeRecord(dir, { pid: process.pid, url: rt.url, port: rt.port, kubeconfig: rt.kubeconfig, startedAt: new Date().toISOString(), nodes: 3, simulate: true });
  // The seed: a 3-replica ReplicationController and its LoadBalancer Service.
  const docs = parseAllDocuments(await readFile(join(SEED, 'node-js-rc.yaml'), 'utf8')).map((d) => d.toJS());
  for (const doc of docs) await rt.client.create(doc.kind === 'Service' ? 'services' : 'replicationcontrollers', 'default', doc);
  await eventually(() => {
    const pods = rt.client.list('pods', 'default').items;
    const rc = rt.client.get('replicationcontrollers', 'default', 'node-js');
    return pods.length === 3 && pods.every((p) => p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) && rc?.status?.readyReplicas === 3;
  }, 'the seed RC to be ready');
}, 60_000);

afterAll(async () => {
  await rt?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!KUBECTL)('kite get prints what kubectl get prints', () => {
  const cases = [
    ['get', 'pods'],
    ['get', 'po', '-o', 'wide'],
    ['get', 'all'],
    ['get', 'all', '-A'],
    ['get', 'pods', '-A'],
    ['get', 'svc'],
    ['get', 'svc', 'node-js'],
    ['get', 'svc/node-js', '-o', 'wide'],
    ['get', 'ep'],
    ['get', 'endpointslices'],
    ['get', 'ns'],
    ['get', 'no'],
    ['get', 'nodes', '-o', 'wide'],
    ['get', 'rc', '-o', 'wide'],
    ['get', 'replicasets'],
    ['get', 'pods,svc'],
    ['get', 'pods', '-l', 'name=node-js'],
    ['get', 'pods', '-l', 'name=nope'],
    ['get', 'pods', '-n', 'nons'],
    ['get', 'pods', '-o', 'name'],
    ['get', 'pods', '-n', 'nons', '-o', 'name'],
    ['get', 'pods', '-n', 'nons', '-o', 'yaml'],
    ['get', 'all', '-o', 'name'],
    ['get', 'pods', '-o', 'yaml'],
    ['get', 'pods', '-o', 'json'],
    ['get', 'rc', 'node-js', '-o', 'yaml'],
    ['get', 'svc', 'node-js', '-o', 'json'],
    ['get', 'ns', '-o', 'yaml'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const r = await sameAsKubectl(args);
      expect(r.code).toBe(0);
    });
  }

  it('events (the RC created its pods, the scheduler placed them)', async () => {
    const r = await sameAsKubectl(['get', 'events']);
    expect(r.stdout).toMatch(/SuccessfulCreate\s+replicationcontroller\/node-js\s+Created pod: node-js-/);
    expect(r.stdout).toMatch(/Scheduled\s+pod\/node-js-\S+\s+Successfully assigned default\/node-js-\S+ to kite-node-\d/);
  });

  it('errors as kubectl: NotFound, unknown kind, bad selector', async () => {
    const notFound = await sameAsKubectl(['get', 'pod', 'nope']);
    expect(notFound).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    const unknown = await sameAsKubectl(['get', 'foo']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
    const selector = await sameAsKubectl(['get', 'pods', '-l', 'a b']);
    expect(selector.code).toBe(1);
    expect(selector.stderr).toMatch(/^Error from server \(BadRequest\): .*unable to parse requirement/);
  });

  it('kite get svc adds the ENDPOINTS column: the ready endpoints of each Service, - for none to have', async () => {
    const r = await kite(['get', 'svc']);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+ENDPOINTS\s+AGE$/);
    expect(r.stdout).toMatch(/^node-js\s+LoadBalancer\s+\S+\s+\S+\s+80:\d+\/TCP\s+3\s+\S+$/m);
    // The kubernetes Service: the API server, one endpoint.
    expect(r.stdout).toMatch(/^kubernetes\s+ClusterIP\s+\S+\s+<none>\s+443\/TCP\s+1\s+\S+$/m);
    expect(r.stderr).toBe('');
  });

  it('an empty list says so on stderr, exit 0', async () => {
    const r = await sameAsKubectl(['get', 'pods', '-n', 'kube-public']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in kube-public namespace.\n' });
  });
});

describe.skipIf(!KUBECTL)('kite describe prints what kubectl describe prints', () => {
  it('a pod, the RC, the service, a node, a namespace; a name prefix describes every match', async () => {
    const pod = rt.client.list('pods', 'default').items[0]!.metadata.name as string;
    for (const args of [['describe', 'pod', pod], ['describe', 'rc', 'node-js'], ['describe', 'svc', 'node-js'], ['describe', 'ep', 'node-js'], ['describe', 'node', 'kite-node-1'], ['describe', 'ns', 'default'], ['describe', 'pods', 'node-js'], ['describe', 'lease', 'kite-node-1', '-n', 'kube-node-lease']]) {
      const r = await sameAsKubectl(args);
      expect(r.code, args.join(' ')).toBe(0);
    }
    const missing = await sameAsKubectl(['describe', 'pod', 'nope']);
    expect(missing).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});

describe('kite describe', () => {
  it('shows a pod: sections, probes format, events (Scheduled)', async () => {
    const pod = rt.client.list('pods', 'default').items[0]!.metadata.name as string;
    const r = await kite(['describe', 'pod', pod]);
    expect(r.code).toBe(0);
    for (const section of ['Name:', 'Namespace:', 'Node:', 'Start Time:', 'Labels:', 'Annotations:', 'Status:', 'IP:', 'IPs:', 'Controlled By:', 'Containers:', 'Image:', 'Port:', 'State:', 'Ready:', 'Restart Count:', 'Environment:', 'Mounts:', 'Conditions:', 'Volumes:', 'QoS Class:', 'Node-Selectors:', 'Tolerations:', 'Events:']) {
      expect(r.stdout, section).toMatch(new RegExp(`^\\s*${section}`, 'm'));
    }
    expect(r.stdout).toMatch(/^Controlled By:\s+ReplicationController\/node-js$/m);
    expect(r.stdout).toMatch(/^ {2}Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/\S+ to kite-node-\d$/m);
  });

  it('shows the RC: replicas, pods status, template, SuccessfulCreate events', async () => {
    const r = await kite(['describe', 'rc', 'node-js']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Selector:\s+name=node-js$/m);
    expect(r.stdout).toMatch(/^Replicas:\s+3 current \/ 3 desired$/m);
    expect(r.stdout).toMatch(/^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(r.stdout).toMatch(/^Pod Template:\n {2}Labels:\s+name=node-js\n {2}Containers:\n {3}node-js:\n {4}Image:\s+jonbaier\/node-express-info:latest$/m);
    expect(r.stdout.match(/Normal\s+SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: node-js-/g)).toHaveLength(3);
  });

  it('shows the service and a node', async () => {
    const svc = await kite(['describe', 'svc', 'node-js']);
    expect(svc.code).toBe(0);
    expect(svc.stdout).toMatch(/^Type:\s+LoadBalancer$/m);
    expect(svc.stdout).toMatch(/^Port:\s+<unset>\s+80\/TCP$/m);
    expect(svc.stdout).toMatch(/^TargetPort:\s+80\/TCP$/m);
    expect(svc.stdout).toMatch(/^NodePort:\s+<unset>\s+\d+\/TCP$/m);
    expect(svc.stdout).toMatch(/^Endpoints:\s+\S+/m);
    expect(svc.stdout).toMatch(/^Session Affinity:\s+None$/m);
    const node = await kite(['describe', 'node', 'kite-node-1']);
    expect(node.code).toBe(0);
    for (const section of ['Conditions:', 'Addresses:', 'Capacity:', 'Allocatable:', 'System Info:', 'Non-terminated Pods:', 'Allocated resources:', 'Events:']) expect(node.stdout).toContain(`\n${section}`);
    expect(node.stdout).toMatch(/^ {2}cpu:\s+1$/m);
    expect(node.stdout).toMatch(/^ {2}memory:\s+2Gi$/m);
  });

  it('exits 1 with kubectl\'s message for a missing object or an unknown kind', async () => {
    expect(await kite(['describe', 'pod', 'nope'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await kite(['describe', 'foo', 'x'])).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
  });
});

describe('kite get', () => {
  it('lists the seed pods and resolves kinds by short name', async () => {
    const r = await kite(['get', 'po']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('NAME            READY   STATUS    RESTARTS   AGE');
    expect(lines.slice(1)).toHaveLength(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^node-js-[a-z0-9]{5} {3}1\/1 {5}Running {3}0 {10}\d+s$/);
  });

  it('rejects an unknown output format and a name with -A, without a stack trace', async () => {
    const bad = await kite(['get', 'pods', '-o', 'xml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: unable to match a printer suitable for the output format "xml", allowed formats are: json,name,wide,yaml\n$/);
    const byName = await kite(['get', 'pods', 'x', '-A']);
    expect(byName).toMatchObject({ code: 1, stderr: 'error: a resource cannot be retrieved by name across all namespaces\n' });
  });

  it('says how to start the runtime when the state dir has none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kite-none-'));
    try {
      const r = await runKite(['get', 'pods', '--state-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: no kite control plane in .* — start one with `kite up`/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('kite status', () => {
  it('reports the running runtime: URL, pid, version, a nodes table; exit 0', async () => {
    const r = await kite(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kite control plane is running\n/);
    expect(r.stdout).toContain(`API server:  ${rt.url}`);
    expect(r.stdout).toContain(`PID:         ${process.pid}`);
    expect(r.stdout).toMatch(/Kubernetes:\s+v1\.\d+\.\d+/);
    expect(r.stdout).toMatch(/^NAME {10}STATUS {3}CPU {3}MEMORY {3}PODS$/m);
    expect(r.stdout).toMatch(/^kite-node-1 {3}Ready {4}0\/1 {3}0\/2Gi {4}\d+\/110$/m);
    const json = await kite(['status', '-o', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ running: true, url: rt.url, pid: process.pid, simulate: true });
    expect(report.nodes.map((n: { name: string }) => n.name)).toEqual(['kite-node-1', 'kite-node-2', 'kite-node-3']);
    expect(report.nodes.reduce((a: number, n: { pods: { running: number } }) => a + n.pods.running, 0)).toBe(3);
  });

  it('exits 1 when nothing runs in the state dir, saying how to start it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kite-none-'));
    try {
      const r = await runKite(['status', '--state-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`kite control plane is not running (state dir ${empty}) — start it with \`kite up\`\n`);
      const json = await runKite(['status', '--state-dir', empty, '-o', 'json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ running: false });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('kite node stop|start', () => {
  const annotation = () => rt.client.get('nodes', undefined, 'kite-node-3')?.metadata?.annotations?.['kite.dev/stopped'];

  it('stop sets kite.dev/stopped on the Node, start removes it', async () => {
    const stop = await kite(['node', 'stop', 'kite-node-3']);
    expect(stop).toMatchObject({ code: 0, stdout: 'node/kite-node-3 stopped\n' });
    expect(annotation()).toBe('true');
    const status = await kite(['status']);
    expect(status.stdout).toMatch(/^kite-node-3 {3}Stopped /m);
    const start = await kite(['node', 'start', 'kite-node-3']);
    expect(start).toMatchObject({ code: 0, stdout: 'node/kite-node-3 started\n' });
    expect(annotation()).toBeUndefined();
    await eventually(() => rt.client.get('nodes', undefined, 'kite-node-3')?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'), 'kite-node-3 Ready again');
  });

  it('an unknown node is NotFound, exit 1', async () => {
    expect(await kite(['node', 'stop', 'nope'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): nodes "nope" not found\n' });
  });
});
