/**
 * The seed's workloads run as real processes (issue 11's "done means"): each reaches the state
 * Kubernetes would give it, applied with the real kubectl from the seed's own YAML and run
 * through the repository's image catalog (the stand-ins in examples/apps). Then the kubelet's
 * reactions a user sees: a liveness failure restarts the container (`kubectl logs -p` shows the
 * run before), a readiness failure takes the pod out of its Service's endpoints, a memory limit
 * ends the container OOMKilled.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../lib/api/model.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { REPO, SEED } from '../support/kite.ts';

let rt: TestRuntime;
// kuard-pod mounts hostPath /var/lib/kuard (made when missing, as containerd does) at /data (a
// mount point made on the host when missing): the test removes what it made.
const madeByKuard = ['/data', '/var/lib/kuard'].filter((p) => !existsSync(p));

beforeAll(async () => {
  // 666m per node, as `kite up` sizes three nodes on this 2-core machine: the constraints RC's
  // 1500m fits nowhere.
  rt = await startTestRuntime({ simulate: false, nodes: 3, nodeCpu: '666m', images: join(REPO, 'kite.images.yaml'), backoffInitialMs: 500 });
}, 60_000);

afterAll(async () => {
  await rt?.close();
  for (const p of madeByKuard) rmSync(p, { recursive: true, force: true });
});

const podsOf = (selector: (p: Pod) => boolean): Pod[] => rt.runtime.client.list('pods', 'default').items.filter(selector);
const labelled = (k: string, v: string) => (p: Pod) => p.metadata.labels?.[k] === v;
const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const container = (p: Pod) => p.status?.containerStatuses?.[0];

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await rt.kubectl(args, input === undefined ? {} : { input });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function apply(manifest: object): Promise<void> {
  await kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}

describe('the seed workloads', () => {
  it('node-js-rc: three ready node-express-info processes, each answering /status/ on its pod IP', { timeout: 60_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'node-js-rc.yaml')]);
    const pods = await eventually(() => {
      const ps = podsOf(labelled('name', 'node-js'));
      return ps.length === 3 && ps.every(ready) && ps;
    }, { timeoutMs: 30_000, what: 'three ready node-js pods' });
    const ips = pods.map((p) => p.status?.podIP);
    expect(new Set(ips).size).toBe(3);
    // Ready once started (no readiness probe): each server may take a moment to listen.
    for (const p of pods) {
      const r = await eventually(() => get(`http://${p.status?.podIP}:80/status/`).catch(() => undefined), { what: `${p.metadata.name} answering` });
      expect(r.status).toBe(200);
      expect(r.body).toContain(p.metadata.name);
    }
    const wide = await kubectl(['get', 'pods', '-l', 'name=node-js', '-o', 'wide']);
    expect(wide.match(/1\/1\s+Running/g)).toHaveLength(3);
    await kubectl(['delete', '-f', join(SEED, 'node-js-rc.yaml'), '--wait=false']);
  });

  it('apache-hook-rc: the failing postStart kills each container, then it backs off', { timeout: 60_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'apache-hook-rc.yaml')]);
    const pods = await eventually(() => {
      const ps = podsOf(labelled('name', 'apache-hook'));
      return ps.length === 3 && ps.every((p) => (container(p)?.restartCount ?? 0) >= 1) && ps;
    }, { timeoutMs: 40_000, what: 'three apache-hook pods restarted by their hook' });
    const events = rt.runtime.client.list('events', 'default').items.filter((e) => e.involvedObject.name === pods[0]!.metadata.name);
    expect(events.find((e) => e.reason === 'FailedPostStartHook')).toMatchObject({ type: 'Warning', message: 'PostStartHook failed' });
    const described = await kubectl(['describe', 'pod', pods[0]!.metadata.name!]);
    expect(described).toContain('FailedPostStartHook');
    expect(pods.some(ready)).toBe(false);
    await kubectl(['delete', '-f', join(SEED, 'apache-hook-rc.yaml'), '--wait=false']);
  });

  it('node-js-constraints-rc: 1500m fits on no node, the pods stay Pending with the scheduler\'s reason', { timeout: 30_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'node-js-constraints-rc.yaml')]);
    const pods = await eventually(() => {
      const ps = podsOf(labelled('name', 'node-js-constraints'));
      return ps.length === 3 && ps.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')) && ps;
    }, { timeoutMs: 20_000, what: 'three unschedulable pods' });
    expect(pods.every((p) => p.status?.phase === 'Pending' && !p.spec.nodeName)).toBe(true);
    expect(pods[0]!.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toContain('Insufficient cpu');
    await kubectl(['delete', '-f', join(SEED, 'node-js-constraints-rc.yaml'), '--wait=false']);
  });

  it('kuard-pod: Running but not Ready before its 30 s readiness delay, Ready after it', { timeout: 90_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'kuard-pod.yaml')]);
    const running = await eventually(() => {
      const p = rt.runtime.client.get('pods', 'default', 'kuard');
      return p?.status?.phase === 'Running' && container(p)?.state?.running && p;
    }, { timeoutMs: 20_000, what: 'kuard running' });
    const startedAt = Date.parse(container(running)!.state!.running!.startedAt!);
    expect(ready(running)).toBe(false);
    await eventually(async () => (await get(`http://${running.status?.podIP}:8080/healthy`)).status === 200, { what: 'kuard answering' }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${JSON.stringify(rt.runtime.client.get('pods', 'default', 'kuard')?.status)}\n${(await rt.kubectl(['logs', 'kuard'])).stdout}`);
    });
    expect(ready(rt.runtime.client.get('pods', 'default', 'kuard')!)).toBe(false);
    const readyPod = await eventually(() => {
      const p = rt.runtime.client.get('pods', 'default', 'kuard');
      return p && ready(p) && p;
    }, { timeoutMs: 60_000, what: 'kuard ready' });
    const readyAt = Date.parse(readyPod.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
    // Timestamps have whole seconds: the first probe runs at or after 30 s.
    expect(readyAt - startedAt).toBeGreaterThanOrEqual(29_000);
    await kubectl(['delete', 'pod', 'kuard', '--wait=false']);
  });
});

describe('the kubelet reacting', () => {
  const kuard = (name: string, extra: object) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name.replace(/-\d+$/, '') } },
    spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'kuard', image: 'kuard-amd64:blue', ports: [{ containerPort: 8080 }], ...extra }] },
  });
  const probe = (path: string) => ({ httpGet: { path, port: 8080 }, periodSeconds: 1, failureThreshold: 1 });

  it('a liveness failure restarts the container, and kubectl logs -p shows the run before', { timeout: 60_000 }, async () => {
    // A delay: without one, the first probe meets a server still starting and kills it, over and over.
    await apply(kuard('lively', { livenessProbe: { ...probe('/healthy'), initialDelaySeconds: 2 } }));
    const p = await eventually(() => {
      const x = rt.runtime.client.get('pods', 'default', 'lively');
      return x && container(x)?.state?.running && x;
    }, { timeoutMs: 20_000, what: 'lively running' });
    await eventually(async () => (await get(`http://${p.status?.podIP}:8080/healthy`)).status === 200, { what: 'kuard answering' });
    expect((await get(`http://${p.status?.podIP}:8080/fail/healthy`, { method: 'POST' })).status).toBe(200);
    const restarted = await eventually(() => {
      const x = rt.runtime.client.get('pods', 'default', 'lively');
      return x && (container(x)?.restartCount ?? 0) >= 1 && x;
    }, { timeoutMs: 20_000, what: 'a restart' });
    const events = rt.runtime.client.list('events', 'default').items.filter((e) => e.involvedObject.name === 'lively');
    expect(events.find((e) => e.reason === 'Unhealthy')?.message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Container kuard failed liveness probe, will be restarted');
    expect(container(restarted)?.lastState?.terminated?.exitCode).toBeDefined();
    const previous = await kubectl(['logs', 'lively', '-p']);
    expect(previous).toContain('received SIGTERM');
    await kubectl(['delete', 'pod', 'lively', '--wait=false']);
  });

  it('a readiness failure takes the pod out of its Service\'s endpoints, and back once healed', { timeout: 60_000 }, async () => {
    await apply(kuard('shy-1', { readinessProbe: probe('/ready') }));
    await apply(kuard('shy-2', { readinessProbe: probe('/ready') }));
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'shy' }, spec: { selector: { app: 'shy' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const readyIPs = () =>
      (rt.runtime.client.get('endpoints', 'default', 'shy')?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
    const pods = await eventually(() => {
      const ps = podsOf(labelled('app', 'shy'));
      return ps.length === 2 && ps.every(ready) && readyIPs().length === 2 && ps;
    }, { timeoutMs: 20_000, what: 'two ready endpoints' });
    const victim = pods.find((p) => p.metadata.name === 'shy-1')!;
    await get(`http://${victim.status?.podIP}:8080/fail/ready`, { method: 'POST' });
    await eventually(() => readyIPs().length === 1 && !readyIPs().includes(victim.status!.podIP!), { timeoutMs: 10_000, what: 'shy-1 out of the endpoints' });
    await get(`http://${victim.status?.podIP}:8080/heal/ready`, { method: 'POST' });
    await eventually(() => readyIPs().length === 2, { timeoutMs: 10_000, what: 'shy-1 back' });
    await kubectl(['delete', 'pod', 'shy-1', 'shy-2', '--wait=false']);
    await kubectl(['delete', 'service', 'shy']);
  });

  it('a memory limit ends the container OOMKilled, exit code 137', { timeout: 60_000 }, async () => {
    await apply(kuard('hungry', { resources: { limits: { memory: '128Mi' } } }));
    const p = await eventually(() => {
      const x = rt.runtime.client.get('pods', 'default', 'hungry');
      return x && container(x)?.state?.running && x;
    }, { timeoutMs: 20_000, what: 'hungry running' });
    await eventually(async () => (await get(`http://${p.status?.podIP}:8080/healthy`)).status === 200, { what: 'kuard answering' });
    await get(`http://${p.status?.podIP}:8080/memory?mb=256`, { method: 'POST' }).catch(() => undefined); // the process may die before it answers
    const killed = await eventually(() => {
      const x = rt.runtime.client.get('pods', 'default', 'hungry');
      const s = container(x!);
      return (s?.lastState?.terminated ?? s?.state?.terminated)?.reason === 'OOMKilled' && s;
    }, { timeoutMs: 20_000, what: 'OOMKilled' });
    expect((killed.lastState?.terminated ?? killed.state?.terminated)?.exitCode).toBe(137);
    await kubectl(['delete', 'pod', 'hungry', '--wait=false']);
  });

  it('a ConfigMap volume follows the ConfigMap: the running process reads the new value', { timeout: 60_000 }, async () => {
    // A mountPath missing on the host is made there (an empty directory; the volume stays private to the pod): one the test removes.
    const mountPath = `/tmp/kite-test-settings-${process.pid}`;
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hello' } });
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'reader' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'settings', configMap: { name: 'settings' } }],
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '1000'], volumeMounts: [{ name: 'settings', mountPath }] }],
      },
    });
    const read = async () => (await rt.kubectl(['exec', 'reader', '--', 'cat', `${mountPath}/greeting`])).stdout;
    await eventually(async () => (await read()) === 'hello', { timeoutMs: 20_000, what: 'the first value' });
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'bonjour' } });
    await eventually(async () => (await read()) === 'bonjour', { timeoutMs: 20_000, what: 'the new value' });
    expect(existsSync(`${mountPath}/greeting`)).toBe(false); // not outside the pod
    await kubectl(['delete', 'pod', 'reader']);
    await kubectl(['delete', 'configmap', 'settings']);
    rmSync(mountPath, { recursive: true, force: true });
  });
});
