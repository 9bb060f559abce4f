/**
 * The merge-key table for kite's built-in kinds, and SMP directives on real fields.
 */
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, PatchError, supportsStrategicMergePatch } from '../../../../runtime/apiserver/patch/index.ts';

type Obj = Record<string, any>;
const smp = (target: unknown, patch: unknown, kind: string): Obj => applyStrategicMergePatch(target, patch, kind) as Obj;

function errorOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

const pod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    labels: { app: 'web', tier: 'frontend' },
    finalizers: ['example.com/a', 'example.com/b'],
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', uid: 'u2' },
    ],
  },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.24',
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP', name: 'https' }],
        env: [{ name: 'A', value: '1' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    initContainers: [{ name: 'init', image: 'busybox' }],
    imagePullSecrets: [{ name: 'regcred' }],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['a.local'] }],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
    volumes: [{ name: 'data', emptyDir: {} }],
    securityContext: { runAsUser: 1000 },
    nodeSelector: { disk: 'ssd' },
  },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0 }],
  },
};

describe('SMP merge keys: Pod', () => {
  it('container ports merge by containerPort, env by name, volumeMounts by mountPath', () => {
    const out = smp(
      pod,
      {
        spec: {
          containers: [
            {
              name: 'nginx',
              ports: [{ containerPort: 443, name: 'tls' }, { containerPort: 9090 }],
              env: [{ name: 'B', value: '2' }, { name: 'A', value: 'one' }],
              volumeMounts: [{ mountPath: '/data', readOnly: true }, { mountPath: '/cache', name: 'cache' }],
            },
          ],
        },
      },
      'Pod',
    );
    const c = out.spec.containers[0];
    expect(c.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 443, protocol: 'TCP', name: 'tls' },
      { containerPort: 9090 },
    ]);
    expect(c.env).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: 'one' }]);
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }, { mountPath: '/cache', name: 'cache' }]);
    expect(c.image).toBe('nginx:1.24');
  });

  it('initContainers, imagePullSecrets, hostAliases (by ip) merge; tolerations are atomic', () => {
    const out = smp(
      pod,
      {
        spec: {
          initContainers: [{ name: 'migrate', image: 'migrate:1' }],
          imagePullSecrets: [{ name: 'other' }],
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['b.local'] }, { ip: '10.0.0.2', hostnames: ['c.local'] }],
          tolerations: [{ key: 'k2', operator: 'Exists' }],
        },
      },
      'Pod',
    );
    // Without $setElementOrder upstream puts new patch items before server-only items they
    // cannot be ordered against (mergeSortedSlice); kubectl apply always sends the order.
    expect(out.spec.initContainers.map((c: Obj) => c.name)).toEqual(['migrate', 'init']);
    expect(out.spec.imagePullSecrets).toEqual([{ name: 'other' }, { name: 'regcred' }]);
    // hostnames inside an alias is an atomic list: replaced
    expect(out.spec.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['b.local'] }, { ip: '10.0.0.2', hostnames: ['c.local'] }]);
    expect(out.spec.tolerations).toEqual([{ key: 'k2', operator: 'Exists' }]);
  });

  it('metadata: null deletes a label, finalizers use $deleteFromPrimitiveList, ownerReferences merge by uid', () => {
    const out = smp(
      pod,
      {
        metadata: {
          labels: { tier: null, track: 'canary' },
          '$setElementOrder/finalizers': ['example.com/b', 'example.com/c'],
          '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
          finalizers: ['example.com/c'],
        },
      },
      'Pod',
    );
    expect(out.metadata.labels).toEqual({ app: 'web', track: 'canary' });
    expect(out.metadata.finalizers).toEqual(['example.com/b', 'example.com/c']);

    // the garbage collector orphaning a dependent: delete one owner reference by uid
    const orphaned = smp(pod, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }], uid: 'pod-uid' } }, 'Pod');
    expect(orphaned.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', uid: 'u2' }]);
  });

  it('finalizers (patchStrategy merge on []string) union without duplicates', () => {
    expect(smp(pod, { metadata: { finalizers: ['example.com/b', 'example.com/z'] } }, 'Pod').metadata.finalizers).toEqual([
      'example.com/a',
      'example.com/b',
      'example.com/z',
    ]);
  });

  it('kubelet status patch: conditions merge by type, containerStatuses are atomic', () => {
    const out = smp(
      pod,
      {
        metadata: { uid: 'pod-uid' },
        status: {
          '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'PodScheduled' }],
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:05Z' }],
          containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, started: true }],
          phase: 'Running',
          podIP: '10.244.0.7',
        },
      },
      'Pod',
    );
    expect(out.status.conditions).toEqual([
      { type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:05Z' },
      { type: 'PodScheduled', status: 'True' },
    ]);
    expect(out.status.containerStatuses).toEqual([{ name: 'nginx', ready: true, restartCount: 0, started: true }]);
    expect(out.status.phase).toBe('Running');
  });

  it('$patch: replace on a map and on a list, $patch: delete on a map', () => {
    expect(smp(pod, { metadata: { labels: { $patch: 'replace', only: 'this' } } }, 'Pod').metadata.labels).toEqual({ only: 'this' });
    expect(smp(pod, { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'x' }] } }, 'Pod').spec.containers).toEqual([
      { name: 'solo', image: 'x' },
    ]);
    expect(smp(pod, { spec: { securityContext: { $patch: 'delete' } } }, 'Pod').spec.securityContext).toEqual({});
    // `$patch: merge` is the default behaviour
    expect(smp(pod, { metadata: { labels: { $patch: 'merge', x: 'y' } } }, 'Pod').metadata.labels).toEqual({ app: 'web', tier: 'frontend', x: 'y' });
  });

  it('$retainKeys on a volume clears the other union members', () => {
    const out = smp(pod, { spec: { volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/tmp' } }] } }, 'Pod');
    expect(out.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/tmp' } }]);
    expect(errorOf(() => smp(pod, { spec: { volumes: [{ $retainKeys: ['name'], name: 'data', hostPath: {} }] } }, 'Pod')).message).toBe(
      'invalid patch format of retainKeys',
    );
  });

  it('nodeSelector and other maps merge key by key; null removes', () => {
    expect(smp(pod, { spec: { nodeSelector: { zone: 'a', disk: null } } }, 'Pod').spec.nodeSelector).toEqual({ zone: 'a' });
  });

  it('a list unknown to the schema is merged when the patch says so ($setElementOrder/$patch reveal the key)', () => {
    const live = { ...pod, spec: { ...pod.spec, futureList: [{ id: 'a', v: 1 }, { id: 'b', v: 2 }] } };
    const out = smp(live, { spec: { '$setElementOrder/futureList': [{ id: 'b' }, { id: 'a' }], futureList: [{ id: 'a', v: 9 }] } }, 'Pod');
    expect(out.spec.futureList).toEqual([{ id: 'b', v: 2 }, { id: 'a', v: 9 }]);
    expect(smp(live, { spec: { futureList: [{ id: 'b', $patch: 'delete' }] } }, 'Pod').spec.futureList).toEqual([{ id: 'a', v: 1 }]);
    // without directives an unknown list is atomic
    expect(smp(live, { spec: { futureList: [{ id: 'c' }] } }, 'Pod').spec.futureList).toEqual([{ id: 'c' }]);
  });

  it('directives inside a value added from scratch are applied, not stored', () => {
    const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    const out = smp(
      bare,
      { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', env: [{ name: 'X', value: null }, { name: 'Y', $patch: 'delete' }] }] } },
      'Pod',
    );
    expect(out.spec).toEqual({ containers: [{ name: 'a', env: [{ name: 'X' }] }] });
  });
});

describe('SMP merge keys: other kinds', () => {
  it('ReplicaSet/ReplicationController templates nest a PodSpec', () => {
    const rs = { spec: { replicas: 1, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', args: ['x'] }] } } } };
    const patch = { spec: { template: { spec: { containers: [{ name: 'c', image: 'i:2' }, { name: 'd', image: 'j' }] } } } };
    for (const kind of ['ReplicaSet', 'ReplicationController']) {
      expect(smp(rs, patch, kind).spec.template.spec.containers).toEqual([
        { name: 'c', image: 'i:2', args: ['x'] },
        { name: 'd', image: 'j' },
      ]);
    }
  });

  it('Service ports merge by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443 }] } };
    expect(smp(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } }, 'Service').spec.ports).toEqual([
      { port: 80, targetPort: 8080, protocol: 'TCP' },
      { port: 443, targetPort: 8443 },
    ]);
  });

  it('Endpoints subsets and EndpointSlice endpoints/ports are atomic', () => {
    const ep = { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
    expect(smp(ep, { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] }, 'Endpoints').subsets).toEqual([{ addresses: [{ ip: '10.0.0.2' }] }]);
    const slice = { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] };
    expect(smp(slice, { endpoints: [{ addresses: ['10.0.0.2'] }] }, 'EndpointSlice')).toEqual({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.2'] }],
      ports: [{ port: 80 }],
    });
  });

  it('Node: addresses and conditions merge by type, podCIDRs is a set, taints atomic', () => {
    const node = {
      spec: { podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] },
      status: {
        addresses: [{ type: 'InternalIP', address: '192.168.1.2' }, { type: 'Hostname', address: 'kite' }],
        conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }],
      },
    };
    const out = smp(
      node,
      {
        spec: { podCIDRs: ['fd00::/64'], taints: [] },
        status: { addresses: [{ type: 'InternalIP', address: '192.168.1.3' }], conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'Node',
    );
    expect(out.spec).toEqual({ podCIDRs: ['fd00::/64', '10.244.0.0/24'], taints: [] });
    expect(out.status.addresses).toEqual([{ type: 'InternalIP', address: '192.168.1.3' }, { type: 'Hostname', address: 'kite' }]);
    expect(out.status.conditions).toEqual([{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }]);
  });

  it('Namespace spec.finalizers is atomic (unlike metadata.finalizers)', () => {
    const ns = { metadata: { finalizers: ['a'] }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    const out = smp(ns, { metadata: { finalizers: ['b'] }, spec: { finalizers: [] }, status: { phase: 'Terminating' } }, 'Namespace');
    expect(out).toEqual({ metadata: { finalizers: ['b', 'a'] }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
  });

  it('Event is a plain merge', () => {
    expect(smp({ count: 1, message: 'x', series: { count: 2 } }, { count: 2, series: { lastObservedTime: 't' } }, 'Event')).toEqual({
      count: 2,
      message: 'x',
      series: { count: 2, lastObservedTime: 't' },
    });
  });
});

describe('SMP errors and safety', () => {
  it('kinds without a schema get 415 like custom resources do upstream', () => {
    expect(supportsStrategicMergePatch('Widget')).toBe(false);
    const e = errorOf(() => smp({}, {}, 'Widget'));
    expect(e.status).toBe(415);
    expect(e.message).toContain('the body of the request was in an unknown format');
  });

  it('bad patches', () => {
    expect(errorOf(() => smp(pod, [], 'Pod')).message).toBe('invalid JSON document');
    expect(errorOf(() => smp(pod, { spec: { $bogus: 1 } }, 'Pod')).status).toBe(400);
    expect(errorOf(() => smp(pod, { spec: { containers: [{ image: 'x' }] } }, 'Pod')).message).toBe(
      'map: map[image:x] does not contain declared merge key: name',
    );
    expect(errorOf(() => smp(pod, { metadata: { labels: { $patch: 'explode' } } }, 'Pod')).message).toContain('unknown patch type: explode');
    expect(errorOf(() => smp(pod, { metadata: { $deleteFromPrimitiveList: ['x'] } }, 'Pod')).message).toBe(
      'invalid patch format of primitive list',
    );
    expect(errorOf(() => smp({}, { spec: { containers: [[1]] } }, 'Pod')).message).toBe('lists of lists are not supported');
    expect(errorOf(() => smp(pod, { spec: { containers: ['nginx'] } }, 'Pod')).message).toContain('list element types are not identical');
  });

  it('never mutates its inputs and is safe against __proto__ keys', () => {
    const before = JSON.stringify(pod);
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}},"__proto__":{"x":1}}');
    const out = smp(pod, patch, 'Pod');
    expect(JSON.stringify(pod)).toBe(before);
    expect(({} as Obj).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(out.metadata.labels, '__proto__')).toBe(true);
  });
});
