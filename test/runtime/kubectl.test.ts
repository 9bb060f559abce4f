// The real kubectl (the dispatcher on the PATH, which picks the 1.32 build from /version) against
// a started runtime: every command users run first.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../support/kite.ts';
import { eventually, startTestRuntime, type TestRuntime } from './harness.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const name of ['test', 'prod']) {
    const ns = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
    expect(ns.stderr).toBe('');
  }
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const pod = (name: string, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });

const podsOf = async (selector: string, ns = 'default') => {
  const r = await rt.kubectl(['get', 'pods', '-n', ns, '-l', selector, '-o', 'name']);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean);
};

describe('kubectl against the local runtime', () => {
  it('reports version 1.32 and serves discovery', async () => {
    const v = await rt.kubectl(['version', '-o', 'json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).serverVersion).toMatchObject({ major: '1', minor: '32' });
    const res = await rt.kubectl(['api-resources', '-o', 'name']);
    expect(res.stdout.split('\n')).toEqual(expect.arrayContaining(['pods', 'services', 'replicasets.apps', 'replicationcontrollers', 'endpointslices.discovery.k8s.io']));
  });

  it('applies every seed manifest', async () => {
    for (const f of readdirSync(SEED).filter((x) => x.endsWith('.yaml')).sort()) {
      const r = await rt.kubectl(['apply', '-f', join(SEED, f)]);
      expect(r.stderr, f).not.toMatch(/error/i);
      expect(r.code, f).toBe(0);
      expect(r.stdout, f).toMatch(/(created|configured|unchanged)/);
    }
    // Re-applying is a no-op (nothing the server normalises, like `1000m` -> `1`, in this one).
    const before = JSON.parse((await rt.kubectl(['get', 'svc', 'external-database', '-o', 'json'])).stdout);
    const again = await rt.kubectl(['apply', '-f', join(SEED, 'external-name-service.yaml')]);
    expect(again.stdout).toBe('service/external-database unchanged\n');
    const after = JSON.parse((await rt.kubectl(['get', 'svc', 'external-database', '-o', 'json'])).stdout);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const rs = await rt.kubectl(['get', 'rs', 'node-js-rs', '-o', 'json']);
    expect(JSON.parse(rs.stdout).apiVersion).toBe('apps/v1');
  });

  it('runs the ReplicaSet\'s pods on nodes, Running and Ready, and prints them in columns', async () => {
    const names = await eventually(async () => {
      const pods = await podsOf('app=node-js-express,name in (node-js-rs)');
      return pods.length === 3 && pods;
    });
    expect(names.every((n) => n.startsWith('pod/node-js-rs-'))).toBe(true);
    await eventually(async () => {
      const r = await rt.kubectl(['get', 'rs', 'node-js-rs', '-o', 'jsonpath={.status.readyReplicas}']);
      return r.stdout === '3';
    });
    const table = await rt.kubectl(['get', 'pods', '-l', 'app=node-js-express', '-o', 'wide']);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^node-js-rs-\w{5}\s+1\/1\s+Running\s+0\s+\d+s\s+127\.\d+\.\d+\.\d+\s+kite-node-\d/);
  });

  it('selects with 20+ label selectors, equality and set-based, and refuses invalid ones', async () => {
    await eventually(async () => (await podsOf('name=node-js')).length === 3);
    const cases: Array<[string, number]> = [
      ['app=node-js-express', 3],
      ['app==node-js-express', 3],
      ['app!=node-js-express', 10 /* kuard, node-js x3, apache-hook x3, node-js-constraints x3 */],
      ['name=node-js', 3],
      ['name in (node-js,node-js-rs)', 6],
      ['name notin (node-js)', -1],
      ['app', 3],
      ['!app', -1],
      ['app=node-js-express,deployment=test', 3],
      ['app=node-js-express,deployment!=test', 0],
      ['version in (v1)', 3],
      ['version notin (v1),app', 0],
      ['deployment,version', 3],
      ['name in (node-js-constraints)', -1],
      ['app in (node-js-express),name in (node-js-rs)', 3],
      ['app=nothing', 0],
      ['name in (apache-hook)', 3],
      ['name=apache-hook,!app', 3],
      ['!name', 1 /* kuard */],
      ['name', -1],
      ['app notin (x,y)', -1],
    ];
    const all = (await rt.kubectl(['get', 'pods', '-o', 'name'])).stdout.split('\n').filter(Boolean).length;
    for (const [sel, want] of cases) {
      const got = (await podsOf(sel)).length;
      if (want >= 0) expect(got, sel).toBe(want);
      else expect(got, sel).toBeGreaterThan(0);
      expect(got, sel).toBeLessThanOrEqual(all);
    }
    for (const bad of ['app in (', 'a b', '=x', 'app in x', 'x/y/z=1']) {
      const r = await rt.kubectl(['get', 'pods', '-l', bad]);
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr, bad).toMatch(/(unable to parse requirement|found|invalid|expected)/i);
    }
  });

  it('describes a pod with its events', async () => {
    const [name] = await podsOf('name=node-js');
    const r = await rt.kubectl(['describe', name!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+node-js-\w{5}$/m);
    expect(r.stdout).toMatch(/^Controlled By:\s+ReplicationController\/node-js$/m);
    expect(r.stdout).toMatch(/^Status:\s+Running$/m);
    expect(r.stdout).toMatch(/Normal\s+Scheduled\s+.*Successfully assigned default\/node-js-\w{5} to kite-node-\d/);
  });

  it('reports the unschedulable RC pods with a FailedScheduling event worded like Kubernetes', async () => {
    // node-js-constraints asks 1500m cpu per pod; nodes have 2 cpu: one fits per node... make it not fit at all
    const r = await rt.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'too-big' },
        spec: { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '64', memory: '1Gi' } } }] },
      }),
    });
    expect(r.code).toBe(0);
    const d = await eventually(async () => {
      const out = (await rt.kubectl(['describe', 'pod', 'too-big'])).stdout;
      return /FailedScheduling/.test(out) && out;
    });
    expect(d).toMatch(/Warning\s+FailedScheduling\s+.*0\/3 nodes are available: 3 Insufficient cpu\./);
    const get = await rt.kubectl(['get', 'pod', 'too-big']);
    expect(get.stdout).toMatch(/too-big\s+0\/1\s+Pending/);
  });

  it('deletes with cascading: background removes the pods, orphan keeps them', async () => {
    const del = await rt.kubectl(['delete', 'rc', 'apache-hook']);
    expect(del.stdout).toBe('replicationcontroller "apache-hook" deleted\n');
    await eventually(async () => (await podsOf('name=apache-hook')).length === 0, { what: 'apache-hook pods gone' });
    const orphan = await rt.kubectl(['delete', 'rc', 'node-js-constraints', '--cascade=orphan']);
    expect(orphan.code).toBe(0);
    const left = await podsOf('name=node-js-constraints');
    expect(left.length).toBe(3);
    const pod = JSON.parse((await rt.kubectl(['get', left[0]!, '-o', 'json'])).stdout);
    expect(pod.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('streams watch events: ADDED, MODIFIED, DELETED', async () => {
    await rt.kubectl(['apply', '-f', '-'], { input: pod('watched', { watch: 'me' }) });
    const child = spawn('kubectl', ['--kubeconfig', rt.kubeconfig, 'get', 'pods', '-l', 'watch=me', '--watch', '--output-watch-events']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // The initial list arrives as ADDED; once seen, the watch is open and later changes must stream.
      await eventually(() => /ADDED\s+watched\s/.test(out), { what: 'initial ADDED' });
      await rt.kubectl(['label', 'pod', 'watched', 'extra=1']);
      await eventually(() => /MODIFIED\s+watched\s/.test(out), { what: 'MODIFIED' });
      await rt.kubectl(['delete', 'pod', 'watched', '--wait=false']);
      await eventually(() => /DELETED\s+watched\s/.test(out), { what: 'DELETED' });
    } finally {
      child.kill();
    }
  });

  it('answers 422 with a cause per bad field', async () => {
    const r = await rt.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bad-svc' },
        spec: { ports: [{ port: 0 }, { port: 70000, name: 'x' }] },
      }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The Service "bad-svc" is invalid/);
    expect(r.stderr).toMatch(/spec\.ports\[0\]\.port/);
    expect(r.stderr).toMatch(/spec\.ports\[1\]\.port/);
  });

  it('refuses unknown fields strictly, as kubectl\'s default validation asks', async () => {
    const r = await rt.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'strict' }, spec: { containers: [{ name: 'c', image: 'x:1', volumeMount: [] }] } }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown field "spec\.containers\[0\]\.volumeMount"/);
  });

  it('refuses requests without the token (401)', async () => {
    const r = await rt.kubectl(['--token', 'wrong', 'get', 'pods']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('deleting a namespace deletes what is in it', async () => {
    await rt.kubectl(['-n', 'test', 'apply', '-f', '-'], { input: pod('inside') });
    const del = await rt.kubectl(['delete', 'namespace', 'test', '--timeout=20s']);
    expect(del.code).toBe(0);
    const gone = await rt.kubectl(['get', 'namespace', 'test']);
    expect(gone.stderr).toMatch(/NotFound/);
    const svc = await rt.kubectl(['get', 'svc', '-n', 'prod', 'my-database']);
    expect(svc.code).toBe(0);
  });

  it('scales a ReplicaSet and edits it with a strategic merge patch', async () => {
    const s = await rt.kubectl(['scale', 'rs', 'node-js-rs', '--replicas=5']);
    expect(s.code).toBe(0);
    await eventually(async () => (await podsOf('app=node-js-express')).length === 5);
    const p = await rt.kubectl(['patch', 'rs', 'node-js-rs', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"node-js-rs","env":[{"name":"A","value":"b"}]}]}}}}']);
    expect(p.code).toBe(0);
    const rs = JSON.parse((await rt.kubectl(['get', 'rs', 'node-js-rs', '-o', 'json'])).stdout);
    const c = rs.spec.template.spec.containers[0];
    expect(c.image).toBe('jonbaier/node-express-info:latest'); // kept: merged by name, not replaced
    expect(c.env).toEqual([{ name: 'A', value: 'b' }]);
    expect(rs.metadata.generation).toBe(3);
  });

  it('applies server-side, creating and then updating', async () => {
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ssa' }, spec: { ports: [{ port: 80 }], selector: { a: 'b' } } });
    const first = await rt.kubectl(['apply', '--server-side', '-f', '-'], { input: manifest });
    expect(first.stdout).toBe('service/ssa serverside-applied\n');
    const second = await rt.kubectl(['apply', '--server-side', '-f', '-'], { input: manifest.replace('"b"', '"c"') });
    expect(second.code).toBe(0);
    const svc = JSON.parse((await rt.kubectl(['get', 'svc', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(svc.spec.selector).toEqual({ a: 'c' });
    expect(svc.spec.clusterIP).toMatch(/^127\./);
    expect(svc.metadata.managedFields.some((m: { manager: string }) => m.manager === 'kubectl')).toBe(true);
  });

  it('prints ConfigMaps, Secrets and Leases in kubectl\'s columns', async () => {
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cols', }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cols', }, stringData: { k: 'v' } },
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'cols', }, spec: { holderIdentity: 'me' } },
    ];
    const applied = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
    expect(applied.code, applied.stderr).toBe(0);
    const get = async (kind: string) => (await rt.kubectl(['get', kind, 'cols'])).stdout;
    expect(await get('cm')).toMatch(/^NAME\s+DATA\s+AGE\ncols\s+3\s+\d+s\n$/);
    expect(await get('secret')).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ncols\s+Opaque\s+1\s+\d+s\n$/);
    expect(await get('lease')).toMatch(/^NAME\s+HOLDER\s+AGE\ncols\s+me\s+\d+s\n$/);
  });

  it('diffs with dryRun=All without persisting', async () => {
    const manifest = (port: number) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'diffed' }, spec: { ports: [{ port }], selector: { a: 'c' } } });
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(80) })).code).toBe(0);
    const same = await rt.kubectl(['diff', '-f', '-'], { input: manifest(80) });
    expect(same.code).toBe(0);
    const r = await rt.kubectl(['diff', '-f', '-'], { input: manifest(81) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // differences found
    expect(r.stdout).toMatch(/^-\s+- port: 80$/m);
    expect(r.stdout).toMatch(/^\+\s+- port: 81$/m);
    const svc = JSON.parse((await rt.kubectl(['get', 'svc', 'diffed', '-o', 'json'])).stdout);
    expect(svc.spec.ports[0].port).toBe(80);
  });
});
