// A status write validated as upstream's ValidateXStatusUpdate (status and metadata, not the kept
// spec) against the whole-object admission it replaces: on every Pod shape of the seed corpus
// (its Pods and every workload's pod template as a Pod) and every ReplicaSet, ReplicationController
// and Deployment of it, the same object — values and key order — and, where it does not apply, no
// answer (the caller validates the whole object).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../lib/api/defaults.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { admitStatusWrite } from '../../lib/api/status-write.ts';
import { validateManifest } from '../../lib/api/validate.ts';
import { deepFreeze } from '../../runtime/store/sqlite-store.ts';

const seed = join(import.meta.dirname, '..', 'fixtures', 'seed');
type Doc = { kind?: string; metadata?: { name?: string }; spec?: { template?: { metadata?: object; spec?: object } } };

/** Every Pod of the seed, and every workload's template as a Pod, admitted and stored (frozen). */
function storedPods(): KubeObject[] {
  const docs = readdirSync(seed)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(seed, f), 'utf8')).map((d) => d.toJS() as Doc | null));
  const pods: unknown[] = [];
  for (const d of docs) {
    if (d?.kind === 'Pod') pods.push(d);
    else if (d?.spec?.template?.spec) pods.push({ apiVersion: 'v1', kind: 'Pod', metadata: { ...d.spec.template.metadata, name: `${d.metadata?.name ?? 'x'}-pod`, namespace: 'default' }, spec: d.spec.template.spec });
  }
  pods.push(rich);
  return pods.flatMap((p) => {
    const r = validateManifest(p, { allowLoopbackIPs: true });
    return r.object ? [deepFreeze(applyDefaults(r.object, { mode: 'create', owned: true }))] : [];
  });
}

/** A Pod with most of what defaulting and normalization touch (quantities, probes, volumes, nulls). */
const rich = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'rich', namespace: 'default', labels: { app: 'rich' }, annotations: { a: 'b' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] },
  spec: {
    initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, name: 'http' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { limits: { cpu: 1, memory: '128Mi' }, requests: { cpu: '500m' } },
        readinessProbe: { httpGet: { path: '/', port: 'http' } },
        livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        securityContext: { runAsNonRoot: true },
        workingDir: null,
      },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd' },
  },
};

const at = '2026-12-07T00:00:00Z';
const running = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at }],
  hostIP: '127.0.0.1',
  podIP: '127.1.0.5',
  podIPs: [{ ip: '127.1.0.5' }],
  startTime: at,
  containerStatuses: [{ name: 'c', state: { running: { startedAt: at } }, ready: true, restartCount: 0, image: 'nginx', imageID: '', started: true }],
  qosClass: 'BestEffort',
};

/** What prepareForUpdate makes of a status write: the stored object with the request's status. */
const statusWrite = (old: KubeObject, status: unknown) => ({ ...old, status, metadata: { ...old.metadata } }) as KubeObject;

/** The whole-object admission of the same write (runtime/apiserver/admission.ts's admit). */
function wholeObject(merged: KubeObject): KubeObject | undefined {
  const r = validateManifest(merged, { allowLoopbackIPs: true });
  return r.object && applyDefaults(r.object, { mode: 'update', owned: true });
}

/** Every ReplicaSet, ReplicationController and Deployment of the seed, admitted and stored (frozen). */
function storedWorkloads(): KubeObject[] {
  const docs = readdirSync(seed)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(seed, f), 'utf8')).map((d) => d.toJS() as Doc | null));
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rich' }, spec: { selector: { matchLabels: { app: 'rich' } }, template: { metadata: { labels: { app: 'rich' } }, spec: rich.spec } } };
  return [...docs, deployment as Doc]
    .filter((d) => d?.kind === 'ReplicaSet' || d?.kind === 'ReplicationController' || d?.kind === 'Deployment')
    .flatMap((d) => {
      const r = validateManifest({ ...d, metadata: { ...d!.metadata, namespace: 'default' } }, { allowLoopbackIPs: true });
      return r.object ? [deepFreeze(applyDefaults(r.object, { mode: 'create', owned: true }))] : [];
    });
}

describe('admitStatusWrite', () => {
  const pods = storedPods();
  const workloads = storedWorkloads();

  it('admits a workload status write as validating the whole object does', () => {
    expect(new Set(workloads.map((w) => w.kind)).size).toBe(3);
    for (const old of workloads) {
      for (const status of [{ replicas: 2, readyReplicas: 1, observedGeneration: 1 }, {}, undefined, null, { replicas: 0, conditions: [{ type: 'Available', status: 'True', reason: null }] }]) {
        const merged = statusWrite(old, status);
        const fast = admitStatusWrite(merged, old);
        expect(fast, `${old.kind} ${old.metadata.name}: ${JSON.stringify(status)}`).toBeDefined();
        expect(JSON.stringify(fast)).toBe(JSON.stringify(wholeObject(merged)));
      }
    }
  });

  it('covers many Pod shapes', () => {
    expect(pods.length).toBeGreaterThanOrEqual(7);
  });

  it('admits what validating the whole object admits, key order included', () => {
    for (const old of pods) {
      for (const status of [running, {}, undefined, null, { phase: 'Pending', message: null }]) {
        const merged = statusWrite(old, status);
        const fast = admitStatusWrite(merged, old);
        expect(fast, `${old.metadata.name}: ${JSON.stringify(status)}`).toBeDefined();
        expect(JSON.stringify(fast)).toBe(JSON.stringify(wholeObject(merged)));
      }
    }
  });

  it('keeps the stored spec itself, not a copy', () => {
    const old = pods[0]!;
    expect((admitStatusWrite(statusWrite(old, running), old) as { spec?: unknown }).spec).toBe((old as { spec?: unknown }).spec);
  });

  it('leaves to whole-object validation a status that is not an object, so its error is unchanged', () => {
    const old = pods[0]!;
    for (const status of ['Running', [running], 3]) {
      const merged = statusWrite(old, status);
      expect(admitStatusWrite(merged, old)).toBeUndefined();
      expect(validateManifest(merged).diagnostics.map((d) => d.path)).toContain('status');
    }
  });

  it('does not apply when the spec or metadata is not the stored one, or to other kinds', () => {
    const old = pods[0]! as KubeObject & { spec: object };
    expect(admitStatusWrite({ ...statusWrite(old, running), spec: { ...old.spec } } as KubeObject, old)).toBeUndefined();
    expect(admitStatusWrite({ ...statusWrite(old, running), metadata: { ...old.metadata, labels: { a: 'b' } } }, old)).toBeUndefined();
    expect(admitStatusWrite({ ...statusWrite(old, running), extra: 1 } as KubeObject, old)).toBeUndefined();
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: {} } as KubeObject;
    expect(admitStatusWrite(statusWrite(svc, {}), svc)).toBeUndefined();
  });
});
