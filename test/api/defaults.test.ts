import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyDefaults, canonicalKeyOrder, defaultImagePullPolicy, parseImageReference } from '../../lib/api/defaults.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { validateManifest } from '../../lib/api/validate.ts';

const SEED = fileURLToPath(new URL('../fixtures/seed', import.meta.url));

function validated(doc: unknown): KubeObject {
  const r = validateManifest(doc);
  if (!r.object) throw new Error(`invalid test manifest: ${JSON.stringify(r.diagnostics)}`);
  return r.object;
}

function seed(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join(SEED, file), 'utf8')).map((d) => validated(d.toJS()));
}

/** Deep equality including key order (what the API server would serialize). */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

// Container fields in Go struct order: name, image, command, args, workingDir, ports, envFrom,
// env, resources, resizePolicy, restartPolicy, volumeMounts, volumeDevices, livenessProbe,
// readinessProbe, startupProbe, lifecycle, terminationMessagePath, terminationMessagePolicy,
// imagePullPolicy, securityContext, stdin, stdinOnce, tty.
const POD_SPEC_TAIL = {
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
};

function rcTemplateContainer(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    image: 'jonbaier/node-express-info:latest',
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    resources: {},
    ...extra,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'Always',
  };
}

function rc(name: string, container: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, labels: { name } },
    spec: {
      replicas: 3,
      selector: { name },
      template: { metadata: { labels: { name } }, spec: { containers: [container], ...POD_SPEC_TAIL } },
    },
    status: { replicas: 0 },
  };
}

const HTTP_PROBE = (path: string, port: number, extra: Record<string, unknown>) => ({
  httpGet: { path, port, scheme: 'HTTP' },
  ...extra,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
});

function clusterIPService(name: string, namespace: string | undefined, port: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: namespace ? { name, namespace } : { name },
    spec: {
      ports: [{ protocol: 'TCP', port, targetPort: port }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

// What `kubectl create -f <seed> -o json` returns, less the server-populated metadata
// (uid, resourceVersion, creationTimestamp, managedFields), allocations (clusterIP, nodePort)
// and the strategies' status (pod phase/qosClass): hand-written from the upstream rules.
const EXPECTED: Record<string, unknown[]> = {
  'apache-hook-rc.yaml': [
    rc('apache-hook', {
      name: 'apache-hook',
      image: 'bitnami/apache:latest',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: {},
      lifecycle: {
        postStart: { httpGet: { path: 'http://my.registration-server.com/register/', port: 80, scheme: 'HTTP' } },
        preStop: { exec: { command: ['/usr/local/bin/apachectl', '-k', 'graceful-stop'] } },
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
    }),
  ],
  'external-ip-service.yaml': [
    clusterIPService('external-ip-database', undefined, 3306),
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external-ip-database' },
      subsets: [{ addresses: [{ ip: '192.168.0.1' }], ports: [{ port: 3306, protocol: 'TCP' }] }],
    },
  ],
  'external-name-service.yaml': [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'external-database' },
      spec: { type: 'ExternalName', sessionAffinity: 'None', externalName: 'database.company.com' },
      status: { loadBalancer: {} },
    },
  ],
  'kuard-pod.yaml': [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kuard' },
      spec: {
        volumes: [
          { name: 'kuard-data', hostPath: { path: '/var/lib/kuard', type: '' } },
          { name: 'kuard-remote-data', nfs: { server: 'my.nfs.server.local', path: '/exports' } },
        ],
        containers: [
          {
            name: 'kuard',
            image: 'kuard-amd64:blue',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            // limits cpu 1000m comes back canonical: "1"
            resources: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '500m', memory: '128Mi' } },
            volumeMounts: [{ name: 'kuard-data', mountPath: '/data' }],
            livenessProbe: HTTP_PROBE('/healthy', 8080, { initialDelaySeconds: 5 }),
            readinessProbe: HTTP_PROBE('/ready', 8080, { initialDelaySeconds: 30 }),
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            imagePullPolicy: 'IfNotPresent',
          },
        ],
        ...POD_SPEC_TAIL,
        enableServiceLinks: true,
      },
      status: {},
    },
  ],
  'namespaced-services.yaml': [clusterIPService('my-database', 'test', 5432), clusterIPService('my-database', 'prod', 5432)],
  'node-js-constraints-rc.yaml': [
    // A template gets no requests: SetDefaults_Pod (requests from limits) runs on Pods only.
    rc('node-js-constraints', rcTemplateContainer('node-js-constraints', { resources: { limits: { cpu: '1500m', memory: '512Mi' } } })),
  ],
  'node-js-health-rc.yaml': [
    rc(
      'node-js',
      rcTemplateContainer('node-js', {
        livenessProbe: HTTP_PROBE('/status/', 80, { initialDelaySeconds: 30 }),
        readinessProbe: HTTP_PROBE('/status/', 80, { initialDelaySeconds: 30 }),
      }),
    ),
  ],
  'node-js-rc.yaml': [
    rc('node-js', rcTemplateContainer('node-js')),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'node-js', labels: { name: 'node-js' } },
      spec: {
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
        selector: { name: 'node-js' },
        type: 'LoadBalancer',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    },
  ],
  'node-js-rs.yaml': [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'node-js-rs' },
      spec: {
        replicas: 3,
        selector: {
          matchLabels: { app: 'node-js-express', deployment: 'test' },
          matchExpressions: [{ key: 'name', operator: 'In', values: ['node-js-rs'] }],
        },
        template: {
          metadata: { labels: { app: 'node-js-express', deployment: 'test', name: 'node-js-rs', version: 'v1' } },
          spec: { containers: [rcTemplateContainer('node-js-rs')], ...POD_SPEC_TAIL },
        },
      },
      status: { replicas: 0 },
    },
  ],
};

describe('applyDefaults: seed manifests as the API server returns them', () => {
  it('covers every seed manifest', () => {
    const files = readdirSync(SEED).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, () => {
      const docs = seed(file);
      expect(docs).toHaveLength(expected.length);
      docs.forEach((doc, i) => expectSame(applyDefaults(doc), expected[i]));
    });
  }

  it('node-js-constraints: a pod created from the template gets requests = limits', () => {
    const [rcObj] = seed('node-js-constraints-rc.yaml');
    const template = (applyDefaults(rcObj!).spec as { template: { metadata: Record<string, unknown>; spec: unknown } }).template;
    const pod = validated({ apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: 'node-js-constraints-abcde' }, spec: template.spec });
    const out = applyDefaults(pod) as unknown as { spec: { containers: Array<{ resources: unknown }>; enableServiceLinks: boolean } };
    expectSame(out.spec.containers[0]!.resources, { limits: { cpu: '1500m', memory: '512Mi' }, requests: { cpu: '1500m', memory: '512Mi' } });
    expect(out.spec.enableServiceLinks).toBe(true);
  });

  it('is idempotent, in both modes', () => {
    for (const file of Object.keys(EXPECTED)) {
      for (const doc of seed(file)) {
        for (const mode of ['create', 'update'] as const) {
          const once = applyDefaults(doc, { mode });
          expectSame(applyDefaults(once, { mode }), once);
        }
      }
    }
  });

  it('keeps the canonical key order validateManifest emits', () => {
    for (const file of Object.keys(EXPECTED)) {
      for (const doc of seed(file)) {
        const out = applyDefaults(doc);
        const revalidated = validateManifest(out);
        expect(revalidated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expectSame(revalidated.object, out);
      }
    }
  });

  it('never mutates its input', () => {
    for (const file of Object.keys(EXPECTED)) {
      for (const doc of seed(file)) {
        const before = JSON.stringify(doc);
        applyDefaults(doc);
        expect(JSON.stringify(doc)).toBe(before);
      }
    }
  });

  it('defaults 10k pods quickly', () => {
    const [pod] = seed('kuard-pod.yaml');
    const t = performance.now();
    for (let i = 0; i < 10_000; i++) applyDefaults(pod!);
    expect(performance.now() - t).toBeLessThan(5000);
  });
});

// k/k pkg/util/parsers/parsers_test.go TestParseImageName, plus registry-port and digest cases.
describe('parseImageReference / defaultImagePullPolicy', () => {
  const H = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const table: Array<[string, { name: string; tag: string; digest: string } | undefined]> = [
    ['root', { name: 'docker.io/library/root', tag: 'latest', digest: '' }],
    ['root:tag', { name: 'docker.io/library/root', tag: 'tag', digest: '' }],
    [`root@sha256:${H}`, { name: 'docker.io/library/root', tag: '', digest: `sha256:${H}` }],
    ['user/repo', { name: 'docker.io/user/repo', tag: 'latest', digest: '' }],
    ['user/repo:tag', { name: 'docker.io/user/repo', tag: 'tag', digest: '' }],
    [`user/repo@sha256:${H}`, { name: 'docker.io/user/repo', tag: '', digest: `sha256:${H}` }],
    ['url:5000/repo', { name: 'url:5000/repo', tag: 'latest', digest: '' }],
    ['url:5000/repo:tag', { name: 'url:5000/repo', tag: 'tag', digest: '' }],
    [`url:5000/repo@sha256:${H}`, { name: 'url:5000/repo', tag: '', digest: `sha256:${H}` }],
    [`url:5000/repo:latest@sha256:${H}`, { name: 'url:5000/repo', tag: 'latest', digest: `sha256:${H}` }],
    ['ROOT', undefined],
    ['http://root', undefined],
    [H, undefined],
    // more
    ['localhost/foo', { name: 'localhost/foo', tag: 'latest', digest: '' }],
    ['localhost:5000/team/app:1.2.3', { name: 'localhost:5000/team/app', tag: '1.2.3', digest: '' }],
    ['foo:5000', { name: 'docker.io/library/foo', tag: '5000', digest: '' }],
    ['index.docker.io/library/nginx:1.25', { name: 'docker.io/library/nginx', tag: '1.25', digest: '' }],
    ['Upper/repo', { name: 'Upper/repo', tag: 'latest', digest: '' }], // an uppercase first component is a registry host
    ['[::1]:5000/app', { name: '[::1]:5000/app', tag: 'latest', digest: '' }],
    [`root@sha256:${H.toUpperCase()}`, undefined],
    [`root@md5:${H}`, undefined],
    ['root@sha256:abc', undefined],
    ['', undefined],
    [' nginx', undefined],
    ['nginx:-bad', undefined],
  ];
  for (const [image, want] of table) {
    it(JSON.stringify(image), () => expect(parseImageReference(image)).toEqual(want));
  }

  const policies: Array<[string, 'Always' | 'IfNotPresent']> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    [`nginx@sha256:${H}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${H}`, 'Always'],
    ['localhost:5000/foo', 'Always'],
    ['localhost:5000/foo:v1', 'IfNotPresent'],
    ['kuard-amd64:blue', 'IfNotPresent'],
    ['jonbaier/node-express-info:latest', 'Always'],
    ['NGINX', 'IfNotPresent'], // unparsable: no tag seen, IfNotPresent
    ['', 'IfNotPresent'],
  ];
  for (const [image, want] of policies) it(`${JSON.stringify(image)} -> ${want}`, () => expect(defaultImagePullPolicy(image)).toBe(want));
});

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): KubeObject {
  return validated({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
}

function podSpecOut(spec: Record<string, unknown>): Record<string, any> {
  return (applyDefaults(pod(spec)) as Record<string, any>).spec;
}

describe('applyDefaults: pods', () => {
  it('requests default per resource from limits; quantities round up to milli and print canonical', () => {
    const spec = podSpecOut({
      containers: [
        { name: 'a', image: 'x:1', resources: { limits: { cpu: '1.5', memory: '1000', 'ephemeral-storage': '1e3', 'example.com/gpu': 2 }, requests: { cpu: '0.1m' } } },
        { name: 'b', image: 'x:1', resources: { limits: {} } },
        { name: 'c', image: 'x:1', resources: { requests: { memory: '100Mi', cpu: '1000m' } } },
      ],
      initContainers: [{ name: 'i', image: 'x:1', resources: { limits: { cpu: '250m' } } }],
    });
    expectSame(spec.containers[0].resources, {
      // "1e3" is already canonical for ParseQuantity (kept as written); "1000" is not.
      limits: { cpu: '1500m', 'ephemeral-storage': '1e3', 'example.com/gpu': '2', memory: '1k' },
      requests: { cpu: '1m', 'ephemeral-storage': '1e3', 'example.com/gpu': '2', memory: '1k' },
    });
    expectSame(spec.containers[1].resources, { limits: {} });
    expectSame(spec.containers[2].resources, { requests: { cpu: '1', memory: '100Mi' } });
    expectSame(spec.initContainers[0].resources, { limits: { cpu: '250m' }, requests: { cpu: '250m' } });
  });

  it('probes, handlers, env and ports', () => {
    const spec = podSpecOut({
      containers: [
        {
          name: 'a',
          image: 'x',
          ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 80 }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1000m' } } }],
          livenessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 5 },
          readinessProbe: { grpc: { port: 9000 }, periodSeconds: 2 },
          startupProbe: { httpGet: { port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] }, failureThreshold: 30 },
          lifecycle: { preStop: { httpGet: { port: 8080, scheme: 'HTTPS' } } },
        },
      ],
    });
    const c = spec.containers[0];
    expectSame(c.ports, [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 80, protocol: 'TCP' }]);
    expectSame(c.env, [
      { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
    ]);
    expectSame(c.livenessProbe, { tcpSocket: { port: 80 }, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expectSame(c.readinessProbe, { grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 2, successThreshold: 1, failureThreshold: 3 });
    expectSame(c.startupProbe, {
      httpGet: { path: '/', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X', value: 'y' }] },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 30,
    });
    expectSame(c.lifecycle, { preStop: { httpGet: { path: '/', port: 8080, scheme: 'HTTPS' } } });
    expect(c.imagePullPolicy).toBe('Always');
  });

  it('volumes', () => {
    const spec = podSpecOut({
      volumes: [
        { name: 'cm', configMap: { name: 'c' } },
        { name: 's', secret: { secretName: 's', defaultMode: 0o400 } },
        { name: 'e', emptyDir: { sizeLimit: '1000Mi' } },
        { name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '0.5Gi' } },
        { name: 'h', hostPath: { path: '/x', type: 'Directory' } },
      ],
      containers: [{ name: 'a', image: 'x:1' }],
    });
    expectSame(spec.volumes, [
      { name: 'cm', configMap: { name: 'c', defaultMode: 420 } },
      { name: 's', secret: { secretName: 's', defaultMode: 256 } },
      { name: 'e', emptyDir: { sizeLimit: '1000Mi' } },
      { name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } },
      { name: 'h', hostPath: { path: '/x', type: 'Directory' } },
    ]);
  });

  it('a volume without a source becomes emptyDir (SetDefaults_Volume)', () => {
    const out = applyDefaults({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { volumes: [{ name: 'v' }], containers: [] } } as KubeObject);
    expect((out.spec as any).volumes).toEqual([{ name: 'v', emptyDir: {} }]);
  });

  it('explicit values win; hostNetwork ports get hostPort = containerPort (pods only)', () => {
    const spec = podSpecOut({
      hostNetwork: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      dnsPolicy: 'ClusterFirstWithHostNet',
      schedulerName: 'mine',
      enableServiceLinks: false,
      securityContext: { runAsUser: 1000 },
      containers: [{ name: 'a', image: 'x:1', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError', ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] }],
    });
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.terminationGracePeriodSeconds).toBe(0);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(spec.schedulerName).toBe('mine');
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.securityContext).toEqual({ runAsUser: 1000 });
    expect(spec.containers[0].imagePullPolicy).toBe('Never');
    expect(spec.containers[0].terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expectSame(spec.containers[0].ports, [
      { hostPort: 8080, containerPort: 8080, protocol: 'TCP' },
      { hostPort: 9090, containerPort: 9090, protocol: 'TCP' },
    ]);
    // templates do not get it
    const rs = applyDefaults(
      validated({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'r' },
        spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80 }] }] } } },
      }),
    ) as any;
    expectSame(rs.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    expect(rs.spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(rs.spec.replicas).toBe(1);
  });

  it('keeps an existing status', () => {
    const p = pod({ containers: [{ name: 'a', image: 'x:1' }] });
    const out = applyDefaults({ ...p, status: { phase: 'Running', podIP: '10.0.0.1' } });
    expect(out.status).toEqual({ phase: 'Running', podIP: '10.0.0.1' });
  });
});

function svc(spec: Record<string, unknown>, status?: Record<string, unknown>): Record<string, any> {
  const s = validated({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec, ...(status ? { status } : {}) });
  return applyDefaults(s) as Record<string, any>;
}

describe('applyDefaults: services', () => {
  it('targetPort defaults to port when absent, 0 or ""; named targetPorts stay', () => {
    const out = svc({
      ports: [
        { name: 'a', port: 80 },
        { name: 'b', port: 81, targetPort: 0 },
        { name: 'c', port: 82, targetPort: '' },
        { name: 'd', port: 83, targetPort: 'http', protocol: 'UDP' },
      ],
    });
    expectSame(out.spec.ports, [
      { name: 'a', protocol: 'TCP', port: 80, targetPort: 80 },
      { name: 'b', protocol: 'TCP', port: 81, targetPort: 81 },
      { name: 'c', protocol: 'TCP', port: 82, targetPort: 82 },
      { name: 'd', protocol: 'UDP', port: 83, targetPort: 'http' },
    ]);
  });

  it('session affinity', () => {
    expect(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }).spec.sessionAffinityConfig).toEqual({
      clientIP: { timeoutSeconds: 60 },
    });
  });

  it('traffic policies: external for NodePort/LoadBalancer/ClusterIP with externalIPs; internal for all but ExternalName', () => {
    const np = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    expect(np.spec.internalTrafficPolicy).toBe('Cluster');
    expect(np.spec.allocateLoadBalancerNodePorts).toBeUndefined();
    expect(svc({ ports: [{ port: 80 }], externalIPs: ['1.2.3.4'] }).spec.externalTrafficPolicy).toBe('Cluster');
    expect(svc({ ports: [{ port: 80 }] }).spec.externalTrafficPolicy).toBeUndefined();
    expect(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }).spec.externalTrafficPolicy).toBe('Local');
    expect(svc({ type: 'ExternalName', externalName: 'a.b' }).spec.internalTrafficPolicy).toBeUndefined();
  });

  it('clusterIPs and IP families (create)', () => {
    const withIP = svc({ ports: [{ port: 80 }], clusterIP: '10.0.0.20' });
    expect(withIP.spec.clusterIPs).toEqual(['10.0.0.20']);
    expect(withIP.spec.ipFamilies).toEqual(['IPv4']);
    expect(withIP.spec.ipFamilyPolicy).toBe('SingleStack');
    const headless = svc({ clusterIP: 'None', selector: { a: 'b' } });
    expectSame(headless.spec, {
      selector: { a: 'b' },
      clusterIP: 'None',
      clusterIPs: ['None'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    const selectorless = svc({ clusterIP: 'None' });
    expect(selectorless.spec.ipFamilyPolicy).toBe('RequireDualStack');
    expect(selectorless.spec.ipFamilies).toEqual(['IPv4', 'IPv6']);
    const ext = svc({ type: 'ExternalName', externalName: 'a.b' });
    expect(ext.spec.ipFamilies).toBeUndefined();
    expect(ext.spec.ipFamilyPolicy).toBeUndefined();
    const dual = applyDefaults(validated({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], ipFamilyPolicy: 'PreferDualStack' } }), {
      serviceIPFamilies: ['IPv6', 'IPv4'],
    }) as any;
    expect(dual.spec.ipFamilies).toEqual(['IPv6', 'IPv4']);
    const update = applyDefaults(validated({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } }), { mode: 'update' }) as any;
    expect(update.spec.ipFamilies).toBeUndefined();
  });

  it('load balancer ingress ipMode', () => {
    const out = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example' }] } });
    expect(out.status).toEqual({ loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP' }, { hostname: 'lb.example' }] } });
  });
});

describe('applyDefaults: controllers, namespaces, nodes, others', () => {
  it('ReplicationController selector and labels default to the template labels', () => {
    const out = applyDefaults(
      validated({
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'r' },
        spec: { template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
      }),
    ) as any;
    expectSame(out.metadata, { name: 'r', labels: { a: '1', b: '2' } });
    expect(out.spec.selector).toEqual({ a: '1', b: '2' });
    expect(out.spec.replicas).toBe(1);
    // explicit ones stay
    const kept = applyDefaults(
      validated({
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'r', labels: { x: 'y' } },
        spec: { replicas: 0, selector: { a: '1' }, template: { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
      }),
    ) as any;
    expect(kept.metadata.labels).toEqual({ x: 'y' });
    expect(kept.spec.selector).toEqual({ a: '1' });
    expect(kept.spec.replicas).toBe(0);
  });

  it('Namespace: metadata.name label, kubernetes finalizer (create only), Active phase', () => {
    const ns = validated({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { z: '1', 'kubernetes.io/metadata.name': 'wrong' } } });
    expectSame(applyDefaults(ns), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a', z: '1' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const finalized = { ...ns, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    expectSame(applyDefaults(finalized, { mode: 'update' }), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a', z: '1' } },
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    });
    expect(applyDefaults(validated({ apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'x-' } })).metadata.labels).toBeUndefined();
  });

  it('Node: allocatable defaults to capacity; quantities rounded', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '0.0001m' }, nodeInfo: {} } };
    expectSame(applyDefaults(node as KubeObject), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      status: {
        capacity: { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '1m' },
        allocatable: { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '1m' },
        nodeInfo: {},
      },
    });
  });

  it('other kinds are copied unchanged', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } } as KubeObject;
    const out = applyDefaults(cm);
    expect(out).toEqual(cm);
    expect(out).not.toBe(cm);
    expect(out.metadata).not.toBe(cm.metadata);
  });
});

describe('canonicalKeyOrder', () => {
  it('reorders fields a registry assigned after defaulting', () => {
    const s = applyDefaults(validated({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } }));
    const allocated = { ...s, spec: { ...(s.spec as object), clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.9'] } } as KubeObject;
    const out = canonicalKeyOrder(allocated) as any;
    expect(Object.keys(out.spec)).toEqual(['ports', 'clusterIP', 'clusterIPs', 'type', 'sessionAffinity', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']);
    expect(out).toEqual(allocated);
    expect(canonicalKeyOrder({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});

describe('applyDefaults({ owned: true })', () => {
  const pod = () => validateManifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }).object!;

  it('defaults the object handed over, with the same result as on a copy', () => {
    const input = pod();
    const copied = applyDefaults(pod());
    const owned = applyDefaults(input, { owned: true });
    expect(owned).toEqual(copied);
    expect((input as unknown as { spec: { containers: Array<{ imagePullPolicy?: string }> } }).spec.containers[0]!.imagePullPolicy).toBe('Always');
  });

  it('still copies kinds it has no defaults for (they may share values with the input)', () => {
    const data = { k: 'v' };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data } as KubeObject;
    const out = applyDefaults(cm, { owned: true }) as KubeObject & { data: object };
    expect(out).toEqual(cm);
    expect(out.data).not.toBe(data);
  });
});
