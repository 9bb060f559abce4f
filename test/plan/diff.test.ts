// diffObject: three-way, default-aware, keyed lists, drift, immutable fields, secrets.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDefaults } from '../../lib/api/defaults.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { diffObject, type ObjectDiffInput } from '../../lib/plan/diff.ts';
import { formatPath, mergeKeyFor } from '../../lib/api/paths.ts';
import { loadInput } from '../../lib/synth/load-input.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { REPO, SEED } from '../support/kite.ts';

type Obj = Record<string, any>;

const clone = <T>(v: T): T => structuredClone(v);

/** What a real API server returns for a created object: defaults, identity, status, allocations. */
function simulateLive(desired: KubeObject, n = 1): KubeObject {
  const o = applyDefaults(desired, { mode: 'create' }) as Obj;
  o.metadata = {
    ...o.metadata,
    uid: `0000-${n}`,
    resourceVersion: String(100 + n),
    generation: 1,
    creationTimestamp: '2025-01-01T00:00:00Z',
    managedFields: [{ manager: 'kite', operation: 'Update', apiVersion: o.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} }],
    annotations: { ...(o.metadata.annotations ?? {}), 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(desired) },
  };
  if (o.kind === 'Service' && o.spec.type !== 'ExternalName') {
    if (!o.spec.clusterIP) o.spec.clusterIP = `10.96.0.${10 + n}`;
    o.spec.clusterIPs = [o.spec.clusterIP];
    if (o.spec.type === 'NodePort' || o.spec.type === 'LoadBalancer') {
      o.spec.ports = o.spec.ports.map((p: Obj, i: number) => ({ ...p, nodePort: p.nodePort ?? 30000 + n * 10 + i }));
      if (o.spec.type === 'LoadBalancer') o.status = { loadBalancer: { ingress: [{ ip: '172.18.0.5', ipMode: 'VIP' }] } };
    }
  }
  if (o.kind === 'ReplicaSet' || o.kind === 'ReplicationController') {
    o.status = { replicas: o.spec.replicas, fullyLabeledReplicas: o.spec.replicas, readyReplicas: o.spec.replicas, availableReplicas: o.spec.replicas, observedGeneration: 1 };
  }
  if (o.kind === 'Pod') {
    o.spec.nodeName = 'kite-node-1';
    o.spec.serviceAccountName = 'default';
    o.status = { phase: 'Running', podIP: '10.244.1.5', qosClass: 'Burstable' };
  }
  return o as KubeObject;
}

async function manifestsOf(path: string): Promise<KubeObject[]> {
  const r = await loadInput(path);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.stacks.flatMap((s) => s.manifests.map((m) => m.object as KubeObject));
}

const seedFiles = readdirSync(SEED).filter((f) => f.endsWith('.yaml')).sort();

const RS: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'prod', labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/managed-by': 'kite' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'api' } },
      spec: {
        containers: [
          {
            name: 'api',
            image: 'jonbaier/node-express-info:latest',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'DATABASE_HOST', value: 'my-database.prod.svc.cluster.local' },
              { name: 'DEBUG', value: '1' },
            ],
            resources: { requests: { cpu: '250m', memory: '128Mi' } },
          },
        ],
      },
    },
  },
};

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kuard', namespace: 'default' },
  spec: {
    containers: [{ name: 'kuard', image: 'kuard-amd64:blue', command: ['/kuard'], resources: { requests: { cpu: '500m' }, limits: { cpu: '1000m' } } }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
};

const EXTERNAL: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'legacy', namespace: 'prod' },
  spec: { type: 'ExternalName', externalName: 'database.company.com' },
};

const SECRET: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'prod' },
  type: 'Opaque',
  data: { password: Buffer.from('hunter2').toString('base64'), user: Buffer.from('shop').toString('base64') },
};

/** The program's current manifest from the base one. */
const edit = (base: KubeObject, f: (o: Obj) => void): KubeObject => {
  const o = clone(base) as Obj;
  f(o);
  return o as KubeObject;
};

/** Applies the base (desired == last applied), then mutates the live object (outside kite). */
function scenario(base: KubeObject, opts: { desired?: (o: Obj) => void; live?: (o: Obj) => void } = {}): ObjectDiffInput {
  const live = simulateLive(base) as Obj;
  opts.live?.(live);
  return { desired: opts.desired ? edit(base, opts.desired) : clone(base), lastApplied: clone(base), live: live as KubeObject };
}

const C = 'spec.template.spec.containers[api]';

describe('diffObject: no noise', () => {
  it.each(seedFiles)('seed %s after server defaulting is a no-op', async (file) => {
    const objects = await manifestsOf(join(SEED, file));
    objects.forEach((desired, i) => {
      const d = diffObject({ desired, lastApplied: desired, live: simulateLive(desired, i) });
      expect(d, `${desired.kind}/${desired.metadata.name}`).toEqual({ changes: [], replace: false });
      // Without a last-applied record (an adopted object) too.
      expect(diffObject({ desired, live: simulateLive(desired, i) }).changes).toEqual([]);
    });
  });

  it('examples/shop after server defaulting is a no-op', async () => {
    const objects = await manifestsOf(join(REPO, 'examples/shop/stack.ts'));
    expect(objects.length).toBeGreaterThanOrEqual(4);
    objects.forEach((desired, i) => expect(diffObject({ desired, lastApplied: desired, live: simulateLive(desired, i) }).changes).toEqual([]));
  });

  it('ignores status, metadata the server writes, and last-applied annotations', () => {
    const d = diffObject(
      scenario(RS, {
        live: (o) => {
          o.status = { replicas: 1 };
          o.metadata.resourceVersion = '999';
          o.metadata.generation = 7;
          o.metadata.annotations = { 'kite.dev/last-applied': '{}', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
          o.spec.template.spec.containers[0].terminationMessagePath = '/tmp/elsewhere';
        },
      }),
    );
    expect(d.changes).toEqual([]);
  });

  it('quantities compare by value: 1000m == 1, 0.5 == 500m, 1Gi == 1024Mi', () => {
    const base = edit(RS, (o) => (o.spec.template.spec.containers[0].resources = { limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '0.5', memory: '1024Mi' } }));
    const live = simulateLive(base) as Obj;
    live.spec.template.spec.containers[0].resources = { limits: { cpu: '1', memory: '1024Mi' }, requests: { cpu: '500m', memory: '1Gi' } };
    expect(diffObject({ desired: base, lastApplied: base, live: live as KubeObject }).changes).toEqual([]);
    // …and without the defaulting's canonical form on either side.
    const raw = clone(live);
    raw.spec.template.spec.containers[0].resources.limits.cpu = '1.0';
    expect(diffObject({ desired: base, live: raw as KubeObject }).changes).toEqual([]);
  });

  it('a label added outside kite is not reported; one changed on a key kite owns is drift', () => {
    const added = diffObject(scenario(RS, { live: (o) => (o.metadata.labels.team = 'payments') }));
    expect(added.changes).toEqual([]);
    const changed = diffObject(scenario(RS, { live: (o) => (o.metadata.labels['app.kubernetes.io/name'] = 'hijacked') }));
    expect(changed.changes).toEqual([
      { path: 'metadata.labels[app.kubernetes.io/name]', op: 'change', before: 'hijacked', after: 'api', drift: { lastApplied: 'api' } },
    ]);
  });

  it('server-allocated clusterIP and nodePorts are not reported, not even when the program drops a clusterIP', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'prod' }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: { app: 'api' } } };
    expect(diffObject({ desired: svc, lastApplied: svc, live: simulateLive(svc) }).changes).toEqual([]);
    const pinned = edit(svc, (o) => (o.spec.clusterIP = '10.96.0.50'));
    expect(diffObject({ desired: svc, lastApplied: pinned, live: simulateLive(pinned) }).changes).toEqual([]);
    expect(diffObject({ desired: edit(svc, (o) => (o.spec.clusterIP = '')), lastApplied: svc, live: simulateLive(svc) }).changes).toEqual([]);
  });
});

describe('diffObject: changes', () => {
  it('replicas change', () => {
    const d = diffObject(scenario(RS, { desired: (o) => (o.spec.replicas = 5) }));
    expect(d).toEqual({ changes: [{ path: 'spec.replicas', op: 'change', before: 3, after: 5 }], replace: false });
  });

  it('container resource change, by container name', () => {
    const d = diffObject(scenario(RS, { desired: (o) => (o.spec.template.spec.containers[0].resources.requests.cpu = '500m') }));
    expect(d.changes).toEqual([{ path: `${C}.resources.requests.cpu`, op: 'change', before: '250m', after: '500m' }]);
  });

  it('shows the value as the program wrote it, compares it as the server stores it', () => {
    const d = diffObject(scenario(RS, { desired: (o) => (o.spec.template.spec.containers[0].resources.requests.memory = '0.25Gi') }));
    expect(d.changes).toEqual([{ path: `${C}.resources.requests.memory`, op: 'change', before: '128Mi', after: '0.25Gi' }]);
  });

  it('a container added is one item, not a shifted list', () => {
    const sidecar = { name: 'sidecar', image: 'envoy:1.30' };
    const d = diffObject(scenario(RS, { desired: (o) => o.spec.template.spec.containers.unshift(sidecar) }));
    expect(d.changes).toEqual([{ path: 'spec.template.spec.containers[sidecar]', op: 'add', after: sidecar }]);
  });

  it('a container removed by the program', () => {
    const base = edit(RS, (o) => o.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy:1.30' }));
    const d = diffObject(scenario(base, { desired: (o) => o.spec.template.spec.containers.pop() }));
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({ path: 'spec.template.spec.containers[sidecar]', op: 'remove', before: { name: 'sidecar', image: 'envoy:1.30', imagePullPolicy: 'IfNotPresent' } });
    expect(d.changes[0]).not.toHaveProperty('after');
  });

  it('an env var removed by the program is a remove', () => {
    const d = diffObject(scenario(RS, { desired: (o) => o.spec.template.spec.containers[0].env.pop() }));
    expect(d.changes).toEqual([{ path: `${C}.env[DEBUG]`, op: 'remove', before: { name: 'DEBUG', value: '1' } }]);
  });

  it('an env var added outside kite is not the program\'s; one kite owns removed outside kite is drift', () => {
    expect(diffObject(scenario(RS, { live: (o) => o.spec.template.spec.containers[0].env.push({ name: 'EXTRA', value: 'x' }) })).changes).toEqual([]);
    const d = diffObject(scenario(RS, { live: (o) => o.spec.template.spec.containers[0].env.pop() }));
    expect(d.changes).toEqual([{ path: `${C}.env[DEBUG]`, op: 'add', after: { name: 'DEBUG', value: '1' }, drift: { lastApplied: { name: 'DEBUG', value: '1' } } }]);
  });

  it('a field the program dropped goes back to its default, not away', () => {
    const d = diffObject(scenario(RS, { desired: (o) => delete o.spec.replicas }));
    expect(d.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 3, after: 1 }]);
  });

  it('drift: desired == last applied, live differs', () => {
    const d = diffObject(scenario(RS, { live: (o) => (o.spec.replicas = 2) }));
    expect(d.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 2, after: 3, drift: { lastApplied: 3 } }]);
  });

  it('no drift marker when the program changed the value too', () => {
    const d = diffObject(scenario(RS, { desired: (o) => (o.spec.replicas = 5), live: (o) => (o.spec.replicas = 2) }));
    expect(d.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 2, after: 5 }]);
  });

  it('atomic lists are compared whole', () => {
    const base = edit(RS, (o) => (o.spec.template.spec.containers[0].args = ['--port', '8080']));
    const d = diffObject(scenario(base, { desired: (o) => o.spec.template.spec.containers[0].args.splice(1, 0, '--verbose') }));
    expect(d.changes).toEqual([{ path: `${C}.args`, op: 'change', before: ['--port', '8080'], after: ['--port', '--verbose', '8080'] }]);
  });

  it('service ports by port (named when they have a name), selector map keys by name', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'prod' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 9090 }], selector: { 'app.kubernetes.io/name': 'api' } } };
    const d = diffObject(scenario(svc, { desired: (o) => ((o.spec.ports[0].targetPort = 8081), (o.spec.ports[1].targetPort = 9091), (o.spec.selector.tier = 'web')) }));
    expect(d.changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ['spec.ports[http].targetPort', 8080, 8081],
      ['spec.ports[9090].targetPort', 9090, 9091],
      ['spec.selector.tier', undefined, 'web'],
    ]);
    expect(d.replace).toBe(false);
  });

  it('changes come in the object\'s path order', () => {
    const d = diffObject(
      scenario(RS, {
        desired: (o) => {
          o.spec.template.spec.containers[0].image = 'jonbaier/node-express-info:v2';
          o.spec.replicas = 4;
          o.metadata.labels.tier = 'web';
        },
      }),
    );
    expect(d.changes.map((c) => c.path)).toEqual(['metadata.labels.tier', 'spec.replicas', `${C}.image`]);
  });
});

describe('diffObject: replacements', () => {
  it('a ReplicaSet selector change forces a replace', () => {
    const d = diffObject(
      scenario(RS, {
        desired: (o) => {
          o.spec.selector.matchLabels.tier = 'web';
          o.spec.template.metadata.labels.tier = 'web';
        },
      }),
    );
    expect(d.replace).toBe(true);
    expect(d.reason).toBe('spec.selector is immutable');
    expect(d.changes).toEqual([
      { path: 'spec.selector.matchLabels.tier', op: 'add', after: 'web', forcesReplacement: true },
      { path: 'spec.template.metadata.labels.tier', op: 'add', after: 'web' },
    ]);
  });

  it('a ReplicationController selector is mutable', () => {
    const rc: KubeObject = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'node-js', labels: { name: 'node-js' } },
      spec: { replicas: 3, selector: { name: 'node-js' }, template: { metadata: { labels: { name: 'node-js' } }, spec: { containers: [{ name: 'node-js', image: 'x:1' }] } } },
    };
    const d = diffObject(scenario(rc, { desired: (o) => (o.spec.selector.tier = 'web') }));
    expect(d).toMatchObject({ replace: false, changes: [{ path: 'spec.selector.tier', op: 'add' }] });
  });

  it('a Service from ExternalName to ClusterIP is a replace', () => {
    const d = diffObject(
      scenario(EXTERNAL, {
        desired: (o) => {
          o.spec = { ports: [{ port: 80 }], selector: { app: 'legacy' } };
        },
      }),
    );
    expect(d.replace).toBe(true);
    expect(d.reason).toBe('spec.type ExternalName → ClusterIP');
    expect(d.changes).toEqual([
      { path: 'spec.ports', op: 'add', after: [{ port: 80 }] },
      { path: 'spec.selector', op: 'add', after: { app: 'legacy' } },
      { path: 'spec.type', op: 'change', before: 'ExternalName', after: 'ClusterIP', forcesReplacement: true },
      { path: 'spec.externalName', op: 'remove', before: 'database.company.com' },
    ]);
  });

  it('a Service clusterIP the program pins differently is a replace; type ClusterIP to NodePort is not', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'prod' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 5432 }] } };
    const d = diffObject(scenario(svc, { desired: (o) => (o.spec.clusterIP = '10.96.0.51') }));
    expect(d).toMatchObject({ replace: true, reason: 'spec.clusterIP is immutable' });
    expect(d.changes[0]).toEqual({ path: 'spec.clusterIP', op: 'change', before: '10.96.0.50', after: '10.96.0.51', forcesReplacement: true });
    const np = diffObject(scenario(svc, { desired: (o) => (o.spec.type = 'NodePort') }));
    expect(np.replace).toBe(false);
    expect(np.changes.map((c) => c.path)).toEqual(['spec.type']); // externalTrafficPolicy: the server's default, not the program's
  });

  it('a Pod image change is an update, not a replace', () => {
    const d = diffObject(scenario(POD, { desired: (o) => (o.spec.containers[0].image = 'kuard-amd64:green') }));
    expect(d).toEqual({ changes: [{ path: 'spec.containers[kuard].image', op: 'change', before: 'kuard-amd64:blue', after: 'kuard-amd64:green' }], replace: false });
  });

  it('a Pod command change is a replace', () => {
    const d = diffObject(scenario(POD, { desired: (o) => (o.spec.containers[0].command = ['/kuard', '--debug']) }));
    expect(d.replace).toBe(true);
    expect(d.reason).toBe('spec.containers[kuard].command is immutable on a Pod');
    expect(d.changes).toEqual([{ path: 'spec.containers[kuard].command', op: 'change', before: ['/kuard'], after: ['/kuard', '--debug'], forcesReplacement: true }]);
  });

  it('Pod: tolerations may be added, not removed; activeDeadlineSeconds may be set or lowered; labels are mutable', () => {
    const added = diffObject(scenario(POD, { desired: (o) => o.spec.tolerations.push({ key: 'gpu', operator: 'Exists' }) }));
    expect(added.replace).toBe(false);
    const removed = diffObject(scenario(POD, { desired: (o) => (o.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }]) }));
    expect(removed).toMatchObject({ replace: true, reason: 'spec.tolerations can only be added to on a Pod' });
    const deadline = edit(POD, (o) => (o.spec.activeDeadlineSeconds = 600));
    expect(diffObject(scenario(POD, { desired: (o) => (o.spec.activeDeadlineSeconds = 600) })).replace).toBe(false);
    expect(diffObject(scenario(deadline, { desired: (o) => (o.spec.activeDeadlineSeconds = 300) })).replace).toBe(false);
    expect(diffObject(scenario(deadline, { desired: (o) => (o.spec.activeDeadlineSeconds = 900) })).replace).toBe(true);
    expect(diffObject(scenario(POD, { desired: (o) => (o.metadata.labels = { tier: 'web' }) })).replace).toBe(false);
    expect(diffObject(scenario(POD, { desired: (o) => (o.spec.containers[0].resources.limits.cpu = '2') }))).toMatchObject({ replace: true });
  });

  it('Pod: tolerations added by DefaultTolerationSeconds admission are not noise', () => {
    const d = diffObject(
      scenario(POD, {
        live: (o) =>
          o.spec.tolerations.push(
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          ),
      }),
    );
    expect(d.changes).toEqual([]);
  });
});

describe('diffObject: secrets', () => {
  it('a Secret value change is detected and masked', () => {
    const d = diffObject(scenario(SECRET, { desired: (o) => (o.data.password = Buffer.from('correct horse').toString('base64')) }));
    expect(d.changes).toEqual([{ path: 'data.password', op: 'change', before: '(sensitive)', after: '(sensitive)' }]);
    expect(JSON.stringify(d)).not.toContain(Buffer.from('hunter2').toString('base64'));
  });

  it('drift on a Secret masks the last-applied value too; stringData compares against data', () => {
    const d = diffObject(scenario(SECRET, { live: (o) => (o.data.user = Buffer.from('root').toString('base64')) }));
    expect(d.changes).toEqual([{ path: 'data.user', op: 'change', before: '(sensitive)', after: '(sensitive)', drift: { lastApplied: '(sensitive)' } }]);
    const withStringData = edit(SECRET, (o) => {
      delete o.data;
      o.stringData = { password: 'hunter2', user: 'shop' };
    });
    expect(diffObject({ desired: withStringData, lastApplied: withStringData, live: simulateLive(SECRET) }).changes).toEqual([]);
    const added = diffObject({ desired: edit(SECRET, (o) => (o.data.token = 'c2VjcmV0')), lastApplied: SECRET, live: simulateLive(SECRET) });
    expect(added.changes).toEqual([{ path: 'data.token', op: 'add', after: '(sensitive)' }]);
  });
});

describe('paths', () => {
  it('formats keyed items, map keys with dots or slashes in brackets', () => {
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels[app.kubernetes.io/name]');
    expect(formatPath(['spec', 'template', 'spec', 'containers', { id: 'api', display: 'api' }, 'resources', 'requests', 'cpu'])).toBe(
      'spec.template.spec.containers[api].resources.requests.cpu',
    );
  });

  it('merge keys: containers in templates and pods, ports, env, volumes; atomic otherwise', () => {
    const item = { id: 'x', display: 'x' };
    expect(mergeKeyFor('ReplicaSet', ['spec', 'template', 'spec', 'containers'])?.fields).toEqual(['name']);
    expect(mergeKeyFor('Pod', ['spec', 'containers'])?.fields).toEqual(['name']);
    expect(mergeKeyFor('ReplicaSet', ['spec', 'containers'])).toBeUndefined();
    expect(mergeKeyFor('Pod', ['spec', 'initContainers', item, 'ports'])?.fields).toEqual(['containerPort', 'protocol']);
    expect(mergeKeyFor('Pod', ['spec', 'containers', item, 'volumeMounts'])?.fields).toEqual(['mountPath']);
    expect(mergeKeyFor('ReplicationController', ['spec', 'template', 'spec', 'volumes'])?.fields).toEqual(['name']);
    expect(mergeKeyFor('Service', ['spec', 'ports'])?.fields).toEqual(['port', 'protocol']);
    expect(mergeKeyFor('Pod', ['spec', 'containers', item, 'args'])).toBeUndefined();
    expect(mergeKeyFor('Pod', ['spec', 'tolerations'])).toBeUndefined();
    expect(mergeKeyFor('Endpoints', ['subsets'])).toBeUndefined();
    expect(mergeKeyFor('ReplicaSet', ['spec', 'selector', 'matchExpressions'])).toBeUndefined();
  });
});

describe('diffObject against the local runtime (real API server defaulting and controllers)', () => {
  let rt: TestRuntime;
  const applied: KubeObject[] = [];

  beforeAll(async () => {
    rt = await startTestRuntime();
    // Each seed in a namespace of its own (two seeds both define ReplicationController/node-js);
    // the seeds' `prod` objects go to `staging`: the shop owns `prod/Service/my-database`.
    const seeds: KubeObject[] = [];
    for (const f of seedFiles) {
      for (const o of await manifestsOf(join(SEED, f))) {
        o.metadata.namespace = o.metadata.namespace === 'prod' ? 'staging' : (o.metadata.namespace ?? f.replace(/\.yaml$/, ''));
        seeds.push(o);
      }
    }
    const objects = [...seeds, ...(await manifestsOf(join(REPO, 'examples/shop/stack.ts')))];
    const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n && n !== 'default'));
    for (const name of namespaces) {
      if (objects.some((o) => o.kind === 'Namespace' && o.metadata.name === name)) continue;
      const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
      expect(r.stderr).toBe('');
    }
    const ordered = [...objects.filter((o) => o.kind === 'Namespace'), ...objects.filter((o) => o.kind !== 'Namespace')];
    for (const o of ordered) {
      const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(o) });
      expect(r.stderr, `${o.kind}/${o.metadata.name}`).toBe('');
      applied.push(o);
    }
    // Let the controllers write: ReplicaSets/RCs report their replicas ready.
    await eventually(
      async () => {
        const r = await rt.kubectl(['get', 'rs,rc', '-A', '-o', 'json']);
        const items = JSON.parse(r.stdout).items as Obj[];
        return items.length > 0 && items.every((i) => i.status?.readyReplicas === i.spec.replicas);
      },
      { timeoutMs: 30_000, what: 'replicas ready' },
    );
  }, 90_000);

  afterAll(async () => {
    await rt?.close();
  });

  const live = async (o: KubeObject): Promise<KubeObject> => {
    const ns = o.metadata.namespace ? ['-n', o.metadata.namespace] : [];
    const r = await rt.kubectl(['get', `${o.kind.toLowerCase()}.${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}`.replace(/\.$/, ''), o.metadata.name!, ...ns, '-o', 'json']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as KubeObject;
  };

  it('every applied seed and example object is a no-op against its live object', async () => {
    expect(applied.length).toBeGreaterThanOrEqual(14);
    for (const desired of applied) {
      const d = diffObject({ desired, lastApplied: desired, live: await live(desired) });
      expect(d, `${desired.kind}/${desired.metadata.name}`).toEqual({ changes: [], replace: false });
    }
  });

  it('a scale outside kite is drift; a changed program is an update', async () => {
    const rs = applied.find((o) => o.kind === 'ReplicaSet' && o.metadata.name === 'api')!;
    const r = await rt.kubectl(['scale', 'rs', 'api', '-n', 'prod', '--replicas=1']);
    expect(r.code).toBe(0);
    const d = diffObject({ desired: rs, lastApplied: rs, live: await live(rs) });
    expect(d.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 1, after: 3, drift: { lastApplied: 3 } }]);
    const next = edit(rs, (o) => (o.spec.template.spec.containers[0].resources.requests.cpu = '0.5'));
    expect(diffObject({ desired: next, lastApplied: rs, live: await live(rs) }).changes).toEqual([
      { path: 'spec.replicas', op: 'change', before: 1, after: 3, drift: { lastApplied: 3 } },
      { path: `${C}.resources.requests.cpu`, op: 'change', before: '250m', after: '0.5' },
    ]);
  });
});

describe('diffObject: the immutable-field table', () => {
  const SVC: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'prod' }, spec: { ports: [{ port: 80 }], selector: { app: 's' } } };
  const LB = edit(SVC, (o) => ((o.spec.type = 'LoadBalancer'), (o.spec.loadBalancerClass = 'example.com/a')));
  const NS: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { team: 'shop' } } };
  const EP: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'prod' }, subsets: [{ addresses: [{ ip: '192.168.0.1' }], ports: [{ port: 3306 }] }] };
  const cases: Array<[string, KubeObject, (o: Obj) => void, string | undefined]> = [
    ['Service ClusterIP → ExternalName', SVC, (o) => (o.spec = { type: 'ExternalName', externalName: 'db.example.com' }), 'spec.type ClusterIP → ExternalName'],
    ['Service ClusterIP → LoadBalancer', SVC, (o) => (o.spec.type = 'LoadBalancer'), undefined],
    ['Service primary IP family', SVC, (o) => (o.spec.ipFamilies = ['IPv6']), 'spec.ipFamilies[0] is immutable'],
    ['Service loadBalancerClass of a LoadBalancer', LB, (o) => (o.spec.loadBalancerClass = 'example.com/b'), 'spec.loadBalancerClass is immutable'],
    ['Service selector and ports', SVC, (o) => ((o.spec.selector.app = 't'), (o.spec.ports[0].targetPort = 8080)), undefined],
    ['Secret type', SECRET, (o) => (o.type = 'kubernetes.io/basic-auth'), 'type is immutable'],
    ['Secret data', SECRET, (o) => (o.data.user = 'cm9vdA=='), undefined],
    ['Secret data once immutable: true', edit(SECRET, (o) => (o.immutable = true)), (o) => (o.data.user = 'cm9vdA=='), 'Secret is immutable (immutable: true)'],
    ['Namespace labels', NS, (o) => (o.metadata.labels.team = 'ops'), undefined],
    ['Endpoints subsets (atomic)', EP, (o) => (o.subsets[0].addresses[0].ip = '192.168.0.2'), undefined],
    ['ReplicaSet template labels', RS, (o) => (o.spec.template.metadata.labels.v = '2'), undefined],
    ['ReplicaSet selector matchExpressions', RS, (o) => (o.spec.selector.matchExpressions = [{ key: 'v', operator: 'Exists' }]), 'spec.selector is immutable'],
    ['Pod container added', POD, (o) => o.spec.containers.push({ name: 'sidecar', image: 'envoy:1' }), 'spec.containers[sidecar] is immutable on a Pod'],
    ['Pod initContainer image', edit(POD, (o) => (o.spec.initContainers = [{ name: 'init', image: 'busybox:1' }])), (o) => (o.spec.initContainers[0].image = 'busybox:2'), undefined],
    ['Pod terminationGracePeriodSeconds', POD, (o) => (o.spec.terminationGracePeriodSeconds = 5), 'spec.terminationGracePeriodSeconds is immutable on a Pod'],
  ];

  it.each(cases)('%s', (_name, base, change, reason) => {
    const d = diffObject(scenario(base, { desired: change }));
    expect(d.changes.length).toBeGreaterThan(0);
    expect(d.reason).toBe(reason);
    expect(d.replace).toBe(reason !== undefined);
    expect(d.changes.some((c) => c.forcesReplacement)).toBe(reason !== undefined);
  });

  it('without a last-applied record nothing is marked as drift', () => {
    const live = simulateLive(RS) as Obj;
    live.spec.replicas = 2;
    expect(diffObject({ desired: RS, live: live as KubeObject }).changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 2, after: 3 }]);
  });
});
