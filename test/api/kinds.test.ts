import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  KINDS,
  PodSchema,
  compareManifests,
  documentRank,
  findKindByName,
  kindRank,
  lookupKind,
  validateManifest,
  type ContainerInput,
  type KubeObject,
  type Pod,
  type PodInput,
  type ReplicaSet,
  type Service,
} from '../../lib/api/model.ts';
import { formatFieldError } from '../../lib/api/field-error.ts';

const SEED = fileURLToPath(new URL('../fixtures/seed', import.meta.url));

function seedDocs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(join(SEED, file), 'utf8')).map((d) => d.toJS());
}

function errorsOf(doc: unknown): string[] {
  return validateManifest(doc)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatFieldError);
}

/** Recursively reverses the key order of every object (arrays keep their order). */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  }
  return v;
}

/** Key paths in document order, to compare order (not just content). */
function keyOrder(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => keyOrder(x, `${prefix}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${prefix}.${k}`, ...keyOrder(x, `${prefix}.${k}`)]);
  return [];
}

const kuard = (): Record<string, unknown> => structuredClone(seedDocs('kuard-pod.yaml')[0]) as Record<string, unknown>;

describe('zod 4 behaviour we rely on', () => {
  it('emits keys in shape order and adds no undefined for absent optional keys', () => {
    const S = z.strictObject({ a: z.string().optional(), b: z.int().optional(), c: z.string().optional() });
    const out = S.parse({ c: 'x', a: 'y' });
    expect(Object.keys(out)).toEqual(['a', 'c']);
    expect('b' in out).toBe(false);
  });
  it('reports unknown keys of strict objects together with other issues', () => {
    const r = z.strictObject({ a: z.int() }).safeParse({ a: 'x', zz: 1 });
    expect(r.error?.issues.map((i) => i.code).sort()).toEqual(['invalid_type', 'unrecognized_keys']);
  });
});

describe('seed manifests', () => {
  const files = readdirSync(SEED).filter((f) => f.endsWith('.yaml'));

  it('finds the seed', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of files) {
    it(`${file} validates with no errors`, () => {
      for (const doc of seedDocs(file)) {
        const r = validateManifest(doc);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.object).toBeDefined();
      }
    });
  }

  it('node-js-rs.yaml: exactly one deprecation warning, converted to apps/v1', () => {
    const [doc] = seedDocs('node-js-rs.yaml');
    const r = validateManifest(doc);
    expect(r.diagnostics).toHaveLength(1);
    const [w] = r.diagnostics;
    expect(w).toMatchObject({ severity: 'warning', code: 'deprecated', path: 'apiVersion', object: 'ReplicaSet/node-js-rs' });
    expect(w!.message).toContain('extensions/v1beta1');
    expect(w!.message).toContain('apps/v1');
    const rs = r.object as ReplicaSet;
    expect(rs.apiVersion).toBe('apps/v1');
    expect(rs.spec.selector.matchExpressions).toEqual([{ key: 'name', operator: 'In', values: ['node-js-rs'] }]);
  });

  it('other seed documents produce no diagnostics at all', () => {
    for (const file of files.filter((f) => f !== 'node-js-rs.yaml')) {
      for (const doc of seedDocs(file)) expect(validateManifest(doc).diagnostics).toEqual([]);
    }
  });

  it('apps/v1beta2 ReplicaSets are converted too', () => {
    const [doc] = seedDocs('node-js-rs.yaml') as Record<string, unknown>[];
    const r = validateManifest({ ...doc, apiVersion: 'apps/v1beta2' });
    expect(r.object?.apiVersion).toBe('apps/v1');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['apps/v1beta2 ReplicaSet is deprecated and no longer served; converted to apps/v1']);
  });

  it('extensions/v1beta1 without a selector gets the template labels, as its defaulting did', () => {
    const [doc] = seedDocs('node-js-rs.yaml') as Record<string, Record<string, unknown>>[];
    const { selector: _drop, ...spec } = doc!.spec!;
    void _drop;
    const r = validateManifest({ ...doc, spec });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((r.object as ReplicaSet).spec.selector).toEqual({
      matchLabels: { app: 'node-js-express', deployment: 'test', name: 'node-js-rs', version: 'v1' },
    });
  });
});

describe('canonical output', () => {
  it('key order is Kubernetes field order regardless of input order', () => {
    for (const file of readdirSync(SEED).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of seedDocs(file)) {
        const a = validateManifest(doc).object;
        const b = validateManifest(reverseKeys(doc)).object;
        expect(keyOrder(b)).toEqual(keyOrder(a));
        expect(b).toEqual(a);
      }
    }
  });

  it('orders top-level, metadata and container keys as Kubernetes does', () => {
    const pod = validateManifest(reverseKeys(kuard())).object as Pod;
    expect(Object.keys(pod)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(pod.spec)).toEqual(['volumes', 'containers']);
    expect(Object.keys(pod.spec.containers[0]!)).toEqual(['name', 'image', 'ports', 'resources', 'volumeMounts', 'livenessProbe', 'readinessProbe']);
    expect(Object.keys(pod.spec.containers[0]!.ports![0]!)).toEqual(['name', 'containerPort', 'protocol']);
    expect(Object.keys(pod.spec.containers[0]!.resources!)).toEqual(['limits', 'requests']);
    const meta = validateManifest({
      kind: 'Pod',
      apiVersion: 'v1',
      spec: { containers: [{ image: 'nginx', name: 'web' }] },
      metadata: { annotations: { b: '1', a: '2' }, labels: { z: '1', a: '2' }, namespace: 'ns', name: 'web' },
    }).object as Pod;
    expect(Object.keys(meta.metadata)).toEqual(['name', 'namespace', 'labels', 'annotations']);
    expect(Object.keys(meta.metadata.labels!)).toEqual(['a', 'z']); // maps: sorted keys, as Go marshals them
  });

  it('keeps quantities as written, numbers become strings', () => {
    const doc = kuard();
    const c = (doc.spec as { containers: Record<string, unknown>[] }).containers[0]!;
    c.resources = { requests: { cpu: 0.5, memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } };
    const pod = validateManifest(doc).object as Pod;
    expect(pod.spec.containers[0]!.resources).toEqual({ limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '0.5', memory: '128Mi' } });
    const seed = validateManifest(kuard()).object as Pod;
    expect(seed.spec.containers[0]!.resources!.limits).toEqual({ cpu: '1000m', memory: '256Mi' });
  });

  it('drops null members (unset in Kubernetes) and never mutates its input', () => {
    const doc = kuard();
    (doc.metadata as Record<string, unknown>).labels = null;
    (doc as Record<string, unknown>).status = null;
    const before = structuredClone(doc);
    const r = validateManifest(doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.object!.metadata).toEqual({ name: 'kuard' });
    expect('status' in r.object!).toBe(false);
    expect(doc).toEqual(before);
  });

  it('treats undefined members of DSL-built objects as absent', () => {
    const input: PodInput = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: undefined },
      spec: { containers: [{ name: 'web', image: 'nginx', command: undefined }] },
    };
    const r = validateManifest(input);
    expect(r.diagnostics).toEqual([]);
    expect(r.object).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  });
});

describe('validateManifest', () => {
  it('collects every problem instead of stopping at the first', () => {
    const doc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'Bad_Name', namespace: 'prod', labels: { 'a b': 'x' } },
      spec: { type: 'NodePort', ports: [{ port: 0, targetPort: 'no_such', nodePort: 70000 }, { port: '80' }], bogus: 1 },
    };
    const errs = errorsOf(doc);
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('metadata.name: Invalid value: "Bad_Name"'),
        expect.stringContaining('metadata.labels: Invalid value: "a b"'),
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        expect.stringContaining('spec.ports[0].targetPort: Invalid value: "no_such"'),
        'spec.ports[0].nodePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.ports[0].name: Required value',
        'spec.ports[1].name: Required value',
        'spec.ports[1].port: Invalid value: "80": must be of type integer',
        'spec.bogus: unknown field "spec.bogus"',
      ]),
    );
    const r = validateManifest(doc);
    expect(r.object).toBeUndefined();
    expect(new Set(r.diagnostics.map((d) => d.object))).toEqual(new Set(['prod/Service/Bad_Name']));
  });

  it('names the object in every diagnostic', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } }).diagnostics.map((d) => d.object)).toEqual([
      'Pod/<unnamed>',
      'Pod/<unnamed>',
    ]);
    expect(validateManifest('hello').diagnostics).toEqual([
      { severity: 'error', code: 'not-an-object', path: '', message: 'expected object, got string "hello"', object: '<unknown kind>/<unnamed>' },
    ]);
  });

  it('reports type errors with what was found', () => {
    const doc = kuard();
    const spec = doc.spec as Record<string, unknown>;
    spec.containers = [{ name: 'kuard', image: 'kuard', stdin: 'yes', args: 'x', ports: [{ containerPort: 1.5 }], livenessProbe: { httpGet: { port: true } } }];
    spec.volumes = [];
    expect(errorsOf(doc)).toEqual(
      expect.arrayContaining([
        'spec.containers[0].stdin: Invalid value: "yes": must be of type boolean',
        'spec.containers[0].args: Invalid value: "x": must be of type array',
        'spec.containers[0].ports[0].containerPort: Invalid value: 1.5: must be of type integer',
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: true: must be of type integer or string',
      ]),
    );
  });

  it('annotations larger than 256 KiB are rejected', () => {
    const doc = kuard();
    (doc.metadata as Record<string, unknown>).annotations = { 'example.com/blob': 'x'.repeat(262144) };
    expect(errorsOf(doc)).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
  });

  it('checks quantities: requests <= limits across formats, extended resources, hugepages', () => {
    const withResources = (resources: unknown): string[] => {
      const doc = kuard();
      (doc.spec as { containers: Record<string, unknown>[] }).containers[0]!.resources = resources;
      return errorsOf(doc);
    };
    expect(withResources({ requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } })).toEqual([]);
    expect(withResources({ requests: { memory: '1.1Gi' }, limits: { memory: '1Gi' } })).toEqual([
      // Quantity.String() canonical form, exactly as the API server prints it
      'spec.containers[0].resources.requests: Invalid value: "1181116006400m": must be less than or equal to memory limit of 1Gi',
    ]);
    expect(withResources({ limits: { 'nvidia.com/gpu': '500m' } })).toEqual([
      'spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "500m": must be an integer',
    ]);
    expect(withResources({ requests: { 'nvidia.com/gpu': 1 } })).toEqual([
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
    expect(withResources({ requests: { cpu: true } })).toEqual(['spec.containers[0].resources.requests[cpu]: Invalid value: true: expected a quantity (string or number)']);
  });

  it('validates services the way the API server does', () => {
    const svc = (spec: unknown): string[] => errorsOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec });
    expect(svc({ clusterIP: 'None' })).toEqual([]); // headless: ports optional
    expect(svc({ type: 'ExternalName', externalName: 'db.example.com.' })).toEqual([]); // trailing dot allowed
    expect(svc({})).toEqual(['spec.ports: Required value']);
    expect(svc({ ports: [{ port: 80, targetPort: 0 }] })).toEqual([]); // defaulted to port
    expect(svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] })).toEqual([
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
    expect(svc({ ports: [{ port: 80 }], externalIPs: ['0.0.0.0', '10.0.0.1', 'nope'] })).toEqual([
      'spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      'spec.externalIPs[2]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(svc({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' })).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    expect(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
  });

  it('accepts IPv6 endpoints and rejects link-local ones', () => {
    const ep = (ip: string): string[] =>
      errorsOf({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db' }, subsets: [{ addresses: [{ ip }], ports: [{ port: 5432 }] }] });
    expect(ep('2001:db8::1')).toEqual([]);
    expect(ep('::ffff:192.168.0.1')).toEqual([]);
    expect(ep('fe80::1')).toEqual(['subsets[0].addresses[0].ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    expect(ep('169.254.1.1')).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    expect(errorsOf({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db' }, subsets: [{ ports: [{ port: 1 }] }] })).toEqual([
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
  });

  it('checks pods beyond containers', () => {
    const pod = (spec: Record<string, unknown>): string[] =>
      errorsOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
    expect(pod({ activeDeadlineSeconds: 0 })).toEqual(['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']);
    expect(pod({ dnsPolicy: 'None' })).toEqual(['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
    expect(pod({ hostname: 'a.b' })).toEqual(['spec.hostname: Invalid value: "a.b": must not contain dots']);
    expect(pod({ tolerations: [{ operator: 'Equal', value: 'x' }] })).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
    expect(pod({ initContainers: [{ name: 'i', image: 'i', livenessProbe: { exec: { command: ['true'] } } }] })).toEqual([
      'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
    expect(
      pod({ containers: [{ name: 'c', image: 'i', lifecycle: { preStop: { sleep: { seconds: 60 } } } }], terminationGracePeriodSeconds: 30 }),
    ).toEqual([expect.stringContaining('spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30)')]);
    expect(pod({ containers: [{ name: 'c', image: ' i' }] })).toEqual([
      'spec.containers[0].image: Invalid value: " i": must not have leading or trailing whitespace',
    ]);
    expect(
      pod({ containers: [{ name: 'c', image: 'i', env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }, { name: 'B=1', value: 'x' }] }] }),
    ).toEqual([
      expect.stringContaining('spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase"'),
      `spec.containers[0].env[1].name: Invalid value: "B=1": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]);
  });

  it('passes other kinds through, validating only apiVersion, kind and metadata', () => {
    const cm = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'cfg' }, limits: false, whatever: { x: null } };
    const r = validateManifest(cm);
    expect(r.diagnostics).toEqual([]);
    expect(r.object).toEqual(cm);
    expect(errorsOf({ ...cm, metadata: { name: 'Bad' } })).toEqual([expect.stringContaining('metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain')]);
    expect(errorsOf({ ...cm, metadata: { name: 'cfg', labelz: {} } })).toEqual(['metadata.labelz: unknown field "metadata.labelz"']);
    // RBAC names may contain ':'; unknown kinds only need a valid path segment
    expect(errorsOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:foo' } })).toEqual([]);
    expect(errorsOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a/b', namespace: 'x' }, spec: {} })).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
    expect(errorsOf({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv', namespace: 'x' } })).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
    expect(errorsOf({ kind: 'Widget', metadata: { name: 'w' } })).toEqual(['apiVersion: Required value']);
  });

  it('validates owner references and finalizers', () => {
    const doc = kuard();
    (doc.metadata as Record<string, unknown>).ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '', controller: true },
    ];
    (doc.metadata as Record<string, unknown>).finalizers = ['custom'];
    expect(errorsOf(doc)).toEqual([
      'metadata.ownerReferences[1].uid: Invalid value: "": uid must not be empty',
      expect.stringContaining('metadata.ownerReferences: Invalid value: []interface {}{map[string]interface {}{"apiVersion":"apps/v1", '),
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('never throws on garbage in any position', () => {
    const garbage = [null, 1, 'x', true, [], {}, [null], [1], { a: null }];
    const paths: string[][] = [
      ['metadata'], ['metadata', 'labels'], ['spec'], ['spec', 'containers'], ['spec', 'volumes'], ['spec', 'containers', '0', 'ports'],
      ['spec', 'containers', '0', 'resources'], ['spec', 'containers', '0', 'livenessProbe'], ['spec', 'containers', '0', 'env'],
      ['spec', 'containers', '0', 'volumeMounts'], ['spec', 'containers', '0', 'lifecycle'], ['spec', 'tolerations'], ['spec', 'dnsConfig'],
    ];
    for (const p of paths) {
      for (const g of garbage) {
        const doc = kuard();
        let o = doc as Record<string, unknown>;
        for (const k of p.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[p[p.length - 1]!] = g;
        const r = validateManifest(doc);
        expect(r.diagnostics.every((d) => d.code !== 'internal'), JSON.stringify(r.diagnostics)).toBe(true);
      }
    }
    for (const kind of ['Service', 'Endpoints', 'ReplicaSet', 'ReplicationController', 'Namespace']) {
      const apiVersion = kind === 'ReplicaSet' ? 'apps/v1' : 'v1';
      for (const g of garbage) {
        for (const field of ['spec', 'subsets', 'metadata']) {
          const r = validateManifest({ apiVersion, kind, metadata: { name: 'x' }, [field]: g });
          expect(r.diagnostics.every((d) => d.code !== 'internal'), JSON.stringify(r.diagnostics)).toBe(true);
        }
        const r2 = validateManifest({ apiVersion, kind, metadata: { name: 'x' }, spec: { selector: g, ports: [g], template: { metadata: g, spec: g } } });
        expect(r2.diagnostics.every((d) => d.code !== 'internal'), JSON.stringify(r2.diagnostics)).toBe(true);
      }
    }
  });

  it('validates 10,000 objects, each to the same result (the time is the synth bench\'s)', () => {
    const docs = [...readdirSync(SEED)].filter((f) => f.endsWith('.yaml')).flatMap(seedDocs);
    const first = docs.map((d) => JSON.stringify(validateManifest(d).object));
    expect(first.every((o) => o !== undefined)).toBe(true);
    let n = 0;
    let differing = 0;
    while (n < 10_000) {
      for (const [i, d] of docs.entries()) {
        if (JSON.stringify(validateManifest(d).object) !== first[i]) differing++;
        n++;
      }
    }
    expect(differing).toBe(0);
  });
});

describe('types', () => {
  it('input types are pleasant: quantities may be numbers, defaults optional', () => {
    const c: ContainerInput = { name: 'web', image: 'nginx', resources: { limits: { cpu: 1, memory: '512Mi' } }, ports: [{ containerPort: 80 }] };
    const pod: PodInput = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [c] } };
    expect(PodSchema.parse(pod).spec.containers[0]!.resources!.limits).toEqual({ cpu: '1', memory: '512Mi' });
    const out: KubeObject = validateManifest(pod).object!;
    const typed = out as Pod;
    const cpu: string | undefined = typed.spec.containers[0]!.resources?.limits?.cpu;
    expect(cpu).toBe('1');
    const svc: Service | undefined = undefined;
    expect(svc).toBeUndefined();
  });
});

describe('registry', () => {
  it('looks kinds up by apiVersion and kind, and by resource or short name', () => {
    expect(lookupKind('apps/v1', 'ReplicaSet')).toMatchObject({ resource: 'replicasets', namespaced: true, modelled: true, group: 'apps', version: 'v1' });
    expect(lookupKind('v1', 'Namespace')).toMatchObject({ resource: 'namespaces', namespaced: false, nameRule: 'dns-label' });
    expect(lookupKind('v1', 'Service')?.nameRule).toBe('dns-1035-label');
    expect(lookupKind('v1', 'ConfigMap')).toMatchObject({ modelled: true, resource: 'configmaps' });
    expect(lookupKind('v1', 'LimitRange')).toMatchObject({ modelled: false, resource: 'limitranges' });
    expect(lookupKind('v1', 'ServiceAccount')).toMatchObject({ modelled: true, resource: 'serviceaccounts', shortNames: ['sa'] });
    expect(lookupKind('extensions/v1beta1', 'ReplicaSet')).toBeUndefined();
    expect(findKindByName('rs')?.kind).toBe('ReplicaSet');
    expect(findKindByName('svc')?.kind).toBe('Service');
    expect(findKindByName('pods')?.kind).toBe('Pod');
    expect(findKindByName('Endpoints')?.resource).toBe('endpoints');
    expect(new Set(KINDS.map((k) => `${k.apiVersion}/${k.kind}`)).size).toBe(KINDS.length);
  });

  it('ranks documents: Namespace, Service, Endpoints, workloads, the rest', () => {
    expect(kindRank('v1', 'Namespace')).toBe(0);
    expect(kindRank('v1', 'Service')).toBe(1);
    expect(kindRank('v1', 'Endpoints')).toBe(2);
    expect([kindRank('v1', 'Pod'), kindRank('apps/v1', 'ReplicaSet'), kindRank('v1', 'ReplicationController')]).toEqual([3, 3, 3]);
    expect(kindRank('extensions/v1beta1', 'ReplicaSet')).toBe(3);
    expect(kindRank('v1', 'ConfigMap')).toBe(4);
    expect(kindRank('example.com/v1', 'Widget')).toBe(4);
    expect(documentRank('Namespace')).toBe(0);
    expect(documentRank('Deployment')).toBe(4);
    const docs = [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'v1', kind: 'Pod' },
      { apiVersion: 'v1', kind: 'Endpoints' },
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'v1', kind: 'Namespace' },
    ];
    expect([...docs].sort(compareManifests).map((d) => d.kind)).toEqual(['Namespace', 'Service', 'Endpoints', 'Pod', 'ConfigMap']);
  });
});
