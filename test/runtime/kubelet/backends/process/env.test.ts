/** Cases after k/k pkg/kubelet/kubelet_pods_test.go TestMakeEnvironmentVariables. */
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret, Service } from '../../../../../lib/api/model.ts';
import { containerEnv, type EnvContext } from '../../../../../runtime/kubelet/backends/process/env.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const configMaps: ConfigMap[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'test1', name: 'test-configmap' }, data: { REPLACE_ME: 'FROM_CONFIG_MAP', EMPTY_VAR: '', '1badkey': 'x', 'bad=key': 'y' } },
] as ConfigMap[];
const secrets: Secret[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'test1', name: 'test-secret' }, data: { REPLACE_ME: b64('FROM_SECRET'), DB_PASS: b64('s3cr3t') } },
] as Secret[];
const services: Service[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'kubernetes' }, spec: { clusterIP: '1.2.3.1', ports: [{ port: 8081, protocol: 'TCP' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'test1', name: 'test' }, spec: { clusterIP: '1.2.3.3', ports: [{ port: 8083, protocol: 'TCP' }] } },
] as Service[];

function pod(spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'test1', name: 'dapi-test-pod-name', uid: 'uid-1', labels: { app: 'web' }, annotations: { 'kite.dev/x': 'ann' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'special', containers: [{ name: 'c', image: 'busybox' }], ...spec },
  } as Pod;
}

function ctx(p: Pod = pod(), extra: Partial<EnvContext> = {}): EnvContext {
  return {
    pod: p,
    podIP: '127.244.0.7',
    hostIP: '127.0.0.1',
    nodeName: 'node-1',
    sources: {
      configMap: (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
      secret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
      services: (ns) => services.filter((s) => s.metadata.namespace === ns),
    },
    nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
    ...extra,
  };
}

function envOf(c: Partial<Container>, context = ctx()): Record<string, string> {
  const r = containerEnv({ name: 'c', image: 'busybox', ...c } as Container, context);
  if (!r.ok) throw new Error(r.message);
  return r.env;
}

function errorOf(c: Partial<Container>): string {
  const r = containerEnv({ name: 'c', image: 'busybox', ...c } as Container, ctx());
  if (r.ok) throw new Error('expected an error');
  return r.message;
}

describe('containerEnv', () => {
  it('adds the Service variables of the namespace and the master Service, and kite’s own', () => {
    const env = envOf({ ports: [{ containerPort: 8080 }, { containerPort: 9090 }] });
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: '1.2.3.1',
      TEST_SERVICE_HOST: '1.2.3.3',
      TEST_PORT_8083_TCP_ADDR: '1.2.3.3',
      POD_IP: '127.244.0.7',
      POD_NAME: 'dapi-test-pod-name',
      POD_NAMESPACE: 'test1',
      PORT: '8080',
    });
  });

  it('leaves out the namespace’s Services when enableServiceLinks is false', () => {
    const env = envOf({}, ctx(pod({ enableServiceLinks: false })));
    expect(env.KUBERNETES_SERVICE_HOST).toBe('1.2.3.1');
    expect(env.TEST_SERVICE_HOST).toBeUndefined();
  });

  it('expands $(VAR) against earlier variables and the Service variables, keeping unknown ones', () => {
    const env = envOf({
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' },
        { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
        { name: 'EMPTY_VAR' },
        { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
        { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME_X)' },
        { name: 'SERVICE_VAR_TEST', value: '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' },
        { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' },
        { name: 'ESCAPED', value: '$$(TEST_LITERAL)' },
        { name: 'KITE_OWN', value: 'http://$(POD_IP):$(PORT)' },
      ],
      ports: [{ containerPort: 80 }],
    });
    expect(env).toMatchObject({
      OUT_OF_ORDER_TEST: '$(OUT_OF_ORDER_TARGET)',
      OUT_OF_ORDER_TARGET: 'FOO',
      EMPTY_VAR: '',
      EMPTY_TEST: 'foo-',
      POD_NAME_TEST2: 'test2-$(POD_NAME_X)',
      SERVICE_VAR_TEST: '1.2.3.3:8083',
      LITERAL_TEST: 'literal-test-test-test',
      ESCAPED: '$(TEST_LITERAL)',
      KITE_OWN: 'http://127.244.0.7:80',
    });
  });

  it('resolves fieldRef values', () => {
    const field = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    const env = envOf({
      env: [
        field('POD_NAME_F', 'metadata.name'),
        field('POD_NAMESPACE_F', 'metadata.namespace'),
        field('POD_UID', 'metadata.uid'),
        field('POD_NODE_NAME', 'spec.nodeName'),
        field('POD_SERVICE_ACCOUNT_NAME', 'spec.serviceAccountName'),
        field('POD_IP_F', 'status.podIP'),
        field('POD_IPS', 'status.podIPs'),
        field('HOST_IP', 'status.hostIP'),
        field('HOST_IPS', 'status.hostIPs'),
        field('LABEL', "metadata.labels['app']"),
        field('ANNOTATION', "metadata.annotations['kite.dev/x']"),
        field('MISSING_LABEL', "metadata.labels['nope']"),
      ],
    });
    expect(env).toMatchObject({
      POD_NAME_F: 'dapi-test-pod-name',
      POD_NAMESPACE_F: 'test1',
      POD_UID: 'uid-1',
      POD_NODE_NAME: 'node-1',
      POD_SERVICE_ACCOUNT_NAME: 'special',
      POD_IP_F: '127.244.0.7',
      POD_IPS: '127.244.0.7',
      HOST_IP: '127.0.0.1',
      HOST_IPS: '127.0.0.1',
      LABEL: 'web',
      ANNOTATION: 'ann',
      MISSING_LABEL: '',
    });
  });

  it('resolves resourceFieldRef values with divisors, rounding up, limits defaulting to allocatable', () => {
    const res = (name: string, resource: string, divisor?: string, containerName?: string) => ({
      name,
      valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}), ...(containerName ? { containerName } : {}) } },
    });
    const p = pod({
      containers: [
        { name: 'c', image: 'busybox', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'other', image: 'busybox', resources: { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '1500m', memory: '1Gi' } } },
      ],
    });
    const env = envOf(
      {
        resources: { requests: { cpu: '250m', memory: '64Mi' } },
        env: [
          res('CPU_REQUEST', 'requests.cpu'),
          res('CPU_REQUEST_MILLI', 'requests.cpu', '1m'),
          res('MEMORY_REQUEST_MI', 'requests.memory', '1Mi'),
          res('MEMORY_REQUEST', 'requests.memory'),
          res('CPU_LIMIT', 'limits.cpu'),
          res('MEMORY_LIMIT_GI', 'limits.memory', '1Gi'),
          res('STORAGE_REQUEST', 'requests.ephemeral-storage'),
          res('OTHER_CPU_LIMIT', 'limits.cpu', '1', 'other'),
          res('OTHER_MEMORY_LIMIT_M', 'limits.memory', '1M', 'other'),
        ],
      },
      ctx(p),
    );
    expect(env).toMatchObject({
      CPU_REQUEST: '1',
      CPU_REQUEST_MILLI: '250',
      MEMORY_REQUEST_MI: '64',
      MEMORY_REQUEST: String(64 * 1024 * 1024),
      CPU_LIMIT: '4',
      MEMORY_LIMIT_GI: '8',
      STORAGE_REQUEST: '0',
      OTHER_CPU_LIMIT: '2',
      OTHER_MEMORY_LIMIT_M: '1074',
    });
  });

  it('takes envFrom first, with prefixes, skipping invalid keys with the kubelet’s warning; env overrides it', () => {
    const r = containerEnv(
      {
        name: 'c',
        image: 'busybox',
        envFrom: [{ configMapRef: { name: 'test-configmap' } }, { prefix: 'S_', secretRef: { name: 'test-secret' } }],
        env: [{ name: 'EMPTY_VAR', value: 'overridden' }, { name: 'FROM_CM', value: '$(REPLACE_ME)' }],
      } as Container,
      ctx(),
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.env).toMatchObject({ REPLACE_ME: 'FROM_CONFIG_MAP', EMPTY_VAR: 'overridden', FROM_CM: 'FROM_CONFIG_MAP', S_REPLACE_ME: 'FROM_SECRET', S_DB_PASS: 's3cr3t', '1badkey': 'x' });
    expect(r.env['bad=key']).toBeUndefined();
    expect(r.warnings).toEqual([
      {
        reason: 'InvalidEnvironmentVariableNames',
        message: 'Keys [bad=key] from the EnvFrom configMap test1/test-configmap were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  it('reads configMapKeyRef and secretKeyRef values, Secret data decoded', () => {
    const env = envOf({
      env: [
        { name: 'CM', valueFrom: { configMapKeyRef: { name: 'test-configmap', key: 'REPLACE_ME' } } },
        { name: 'SECRET', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'DB_PASS' } } },
        { name: 'OPTIONAL_MISSING_KEY', valueFrom: { configMapKeyRef: { name: 'test-configmap', key: 'nope', optional: true } } },
        { name: 'OPTIONAL_MISSING_SECRET', valueFrom: { secretKeyRef: { name: 'missing', key: 'k', optional: true } } },
      ],
      envFrom: [{ configMapRef: { name: 'missing', optional: true } }],
    });
    expect(env).toMatchObject({ CM: 'FROM_CONFIG_MAP', SECRET: 's3cr3t' });
    expect(env).not.toHaveProperty('OPTIONAL_MISSING_KEY');
    expect(env).not.toHaveProperty('OPTIONAL_MISSING_SECRET');
  });

  it('words a missing object or key as the kubelet does', () => {
    expect(errorOf({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] })).toBe('configmap "missing" not found');
    expect(errorOf({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'test-configmap', key: 'k' } } }] })).toBe(
      "couldn't find key k in ConfigMap test1/test-configmap",
    );
    expect(errorOf({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'missing', key: 'k' } } }] })).toBe('secret "missing" not found');
    expect(errorOf({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'k' } } }] })).toBe("couldn't find key k in Secret test1/test-secret");
    expect(errorOf({ envFrom: [{ secretRef: { name: 'missing' } }] })).toBe('secret "missing" not found');
    expect(errorOf({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', containerName: 'ghost' } } }] })).toBe('container ghost not found');
  });

  it('gives the image’s env the lowest precedence and lets the container set kite’s own variables', () => {
    const env = envOf(
      { env: [{ name: 'PORT', value: '1234' }, { name: 'FROM_IMAGE', value: 'container' }] },
      ctx(pod(), { imageEnv: { FROM_IMAGE: 'image', IMAGE_ONLY: 'yes', POD_IP: 'image-ip', KUBERNETES_SERVICE_HOST: 'image' } }),
    );
    expect(env).toMatchObject({ PORT: '1234', FROM_IMAGE: 'container', IMAGE_ONLY: 'yes', POD_IP: '127.244.0.7', KUBERNETES_SERVICE_HOST: '1.2.3.1' });
  });
});
