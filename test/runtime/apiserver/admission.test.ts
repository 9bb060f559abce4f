// Admission and the API behaviours every real cluster has, through the real kubectl: immortal
// namespaces, the defaults every Pod gets (ServiceAccount, DefaultTolerationSeconds, Priority),
// updates carrying resourceVersion "0", the Service clusterIPs normalisation, stored
// PersistentVolumeClaims and `apply --prune`.
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const json = (o: unknown) => JSON.stringify(o);
async function kubectl(args: string[], input?: string) {
  return rt.kubectl(args, input === undefined ? {} : { input });
}
async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const getJson = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as Record<string, any>;
const pod = (name: string, spec: Record<string, unknown> = {}, ns?: string) =>
  json({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx:1' }], ...spec } });

describe('immortal namespaces (NamespaceLifecycle)', () => {
  it('refuses to delete default, kube-system and kube-public, and loses nothing', async () => {
    await ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep-me' }, data: { a: '1' } }));
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const r = await kubectl(['delete', 'ns', ns]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`);
    }
    const nss = await getJson(['get', 'ns']);
    expect(nss.items.map((n: any) => [n.metadata.name, n.status.phase])).toEqual([
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
    expect((await getJson(['get', 'cm', 'keep-me'])).data).toEqual({ a: '1' });
  });

  it('keeps the node heartbeats in kube-node-lease', async () => {
    const leases = await getJson(['get', 'leases', '-n', 'kube-node-lease']);
    expect(leases.items.map((l: any) => l.metadata.name).sort()).toEqual(['kite-node-1', 'kite-node-2', 'kite-node-3']);
  });
});

describe('what every namespace has', () => {
  it('gets the default ServiceAccount and the kube-root-ca.crt ConfigMap holding the cluster CA', async () => {
    await ok(['apply', '-f', '-'], json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } }));
    const sa = await eventually(() => getJson(['get', 'sa', 'default', '-n', 'fresh']), { what: 'the default ServiceAccount' });
    expect(sa).toMatchObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'fresh' } });
    const table = await ok(['get', 'sa', '-n', 'fresh']);
    expect(table).toMatch(/^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\d+s\n$/);
    const cm = await eventually(() => getJson(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh']), { what: 'the root CA ConfigMap' });
    const kubeconfigCa = /certificate-authority-data: (\S+)/.exec(await ok(['config', 'view', '--raw', '--minify']))![1]!;
    expect(cm.data['ca.crt']).toBe(Buffer.from(kubeconfigCa, 'base64').toString('utf8'));
    expect(cm.metadata.annotations['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
  });

  it('puts them back when deleted', async () => {
    await eventually(() => getJson(['get', 'sa', 'default', '-n', 'fresh']));
    await ok(['delete', 'sa', 'default', '-n', 'fresh']);
    await ok(['delete', 'cm', 'kube-root-ca.crt', '-n', 'fresh']);
    await eventually(() => getJson(['get', 'sa', 'default', '-n', 'fresh']), { what: 'the ServiceAccount made again' });
    await eventually(() => getJson(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh']), { what: 'the ConfigMap made again' });
  });
});

describe('Pod admission defaults', () => {
  it('gives a pod its ServiceAccount, the NoExecute tolerations and priority, and no generation', async () => {
    await ok(['create', '-f', '-'], pod('plain'));
    const p = await getJson(['get', 'pod', 'plain']);
    expect(p.metadata.generation).toBeUndefined();
    expect(p.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default', priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const yaml = await ok(['get', 'pod', 'plain', '-o', 'yaml']);
    expect(yaml).toContain('  serviceAccountName: default\n');
    expect(yaml).toContain('  priority: 0\n');
    const described = await ok(['describe', 'pod', 'plain']);
    expect(described).toMatch(/^Priority:\s+0$/m);
    expect(described).toMatch(/^Service Account:\s+default$/m);
    expect(described).toMatch(/^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s$/m);
  });

  it('keeps tolerations that already cover the taints, and adds only what is missing', async () => {
    await ok(['create', '-f', '-'], pod('tolerant', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] }));
    const p = await getJson(['get', 'pod', 'tolerant']);
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('does not default pod templates (a ReplicaSet is stored as written)', async () => {
    await ok(['create', '-f', '-'], json({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'tpl' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'tpl' } }, template: { metadata: { labels: { app: 'tpl' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    }));
    const rs = await getJson(['get', 'rs', 'tpl']);
    expect(rs.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(rs.spec.template.spec.tolerations).toBeUndefined();
    expect(rs.spec.template.spec.priority).toBeUndefined();
    const made = await eventually(async () => (await getJson(['get', 'pods', '-l', 'app=tpl'])).items[0], { what: "the ReplicaSet's pod" });
    expect(made.spec).toMatchObject({ serviceAccountName: 'default', priority: 0 });
  });

  it('refuses a pod naming a missing ServiceAccount or PriorityClass, in the plugins\' words', async () => {
    const sa = await kubectl(['create', '-f', '-'], pod('lost', { serviceAccountName: 'nobody' }));
    expect(sa.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "lost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found');
    const pc = await kubectl(['create', '-f', '-'], pod('vip', { priorityClassName: 'gold' }));
    expect(pc.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "vip" is forbidden: no PriorityClass with name gold was found');
    const literal = await kubectl(['create', '-f', '-'], pod('pushy', { priority: 7 }));
    expect(literal.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "pushy" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
    await ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } }));
    await ok(['create', '-f', '-'], pod('found', { serviceAccountName: 'robot', priorityClassName: 'system-cluster-critical' }));
    expect((await getJson(['get', 'pod', 'found'])).spec).toMatchObject({ serviceAccountName: 'robot', priority: 2000000000 });
  });

  it('admits a pod created in the same breath as its namespace', async () => {
    await ok(['apply', '-f', '-'], `${json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'same-breath' } })}\n${pod('first', {}, 'same-breath')}\n`);
    expect((await getJson(['get', 'pod', 'first', '-n', 'same-breath'])).spec.serviceAccountName).toBe('default');
  });
});

describe('updates with resourceVersion "0"', () => {
  it('replaces a ConfigMap and a Node unconditionally, as Kubernetes does', async () => {
    await ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv0' }, data: { a: '1' } }));
    expect(await ok(['replace', '-f', '-'], json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv0', resourceVersion: '0' }, data: { a: '2' } }))).toBe('configmap/rv0 replaced\n');
    expect((await getJson(['get', 'cm', 'rv0'])).data).toEqual({ a: '2' });
    const node = await getJson(['get', 'node', 'kite-node-1']);
    node.metadata.resourceVersion = '0';
    node.metadata.labels.rv0 = 'yes';
    expect(await ok(['replace', '-f', '-'], json(node))).toBe('node/kite-node-1 replaced\n');
    expect((await getJson(['get', 'node', 'kite-node-1'])).metadata.labels.rv0).toBe('yes');
  });

  it('refuses it on a Lease, whose strategy wants a precondition', async () => {
    const r = await kubectl(['create', '-f', '-'], json({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lock' }, spec: { holderIdentity: 'a' } }));
    expect(r.code).toBe(0);
    const replaced = await kubectl(['replace', '-f', '-'], json({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lock', resourceVersion: '0' }, spec: { holderIdentity: 'b' } }));
    expect(replaced.stderr.trim()).toBe('The leases "lock" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
  });
});

describe('Service updates', () => {
  it('carries a changed clusterIP over to clusterIPs, refused as "may not change once set"', async () => {
    await ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'fixed' }, spec: { ports: [{ port: 80 }] } }));
    const svc = await getJson(['get', 'svc', 'fixed']);
    svc.spec.clusterIP = '127.96.0.99';
    const replaced = await kubectl(['replace', '-f', '-'], json(svc));
    expect(replaced.stderr.trim()).toBe('The Service "fixed" is invalid: spec.clusterIPs[0]: Invalid value: []string{"127.96.0.99"}: may not change once set');
    const applied = await kubectl(['apply', '-f', '-'], json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'fixed' }, spec: { clusterIP: '127.96.0.98', ports: [{ port: 80 }] } }));
    expect(applied.stderr).toContain('The Service "fixed" is invalid: spec.clusterIPs[0]: Invalid value: []string{"127.96.0.98"}: may not change once set');
  });
});

describe('PersistentVolumeClaims', () => {
  it('are stored Pending and printed as kubectl 1.32 prints them', async () => {
    await ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }));
    const pvc = await getJson(['get', 'pvc', 'data']);
    expect(pvc.status).toEqual({ phase: 'Pending' });
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    const table = (await ok(['get', 'pvc', 'data', '-o', 'wide'])).split('\n');
    expect(table[0]!.split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE']);
    expect(table[1]).toMatch(/^data\s+Pending\s+<unset>\s+\d+s\s+Filesystem$/);
    const bad = await kubectl(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bad' }, spec: {} }));
    expect(bad.stderr.trim()).toBe('The PersistentVolumeClaim "bad" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value');
  });

  it('take part in kubectl apply --prune', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kite-prune-'));
    try {
      const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {app: pruned}}\ndata: {x: "1"}\n`;
      await writeFile(join(dir, 'a.yaml'), `${cm('pa')}---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim, labels: {app: pruned}}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`);
      await writeFile(join(dir, 'b.yaml'), cm('pb'));
      const allow = ['--prune-allowlist=core/v1/ConfigMap', '--prune-allowlist=core/v1/PersistentVolumeClaim'];
      expect(await ok(['apply', '--prune', '-l', 'app=pruned', ...allow, '-f', dir])).toBe('configmap/pa created\npersistentvolumeclaim/claim created\nconfigmap/pb created\n');
      await unlink(join(dir, 'b.yaml'));
      await writeFile(join(dir, 'a.yaml'), cm('pa'));
      expect(await ok(['apply', '--prune', '-l', 'app=pruned', ...allow, '-f', dir])).toBe('configmap/pa unchanged\nconfigmap/pb pruned\npersistentvolumeclaim/claim pruned\n');
      expect((await getJson(['get', 'cm,pvc', '-l', 'app=pruned'])).items.map((o: any) => o.metadata.name)).toEqual(['pa']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
