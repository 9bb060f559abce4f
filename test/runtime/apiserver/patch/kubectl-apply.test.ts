/**
 * The exact strategic merge patches kubectl 1.32 sends for `kubectl apply -f` of an edited
 * manifest (three-way diff of last-applied / new manifest / live, see kubernetes-semantics.md
 * §C.4), applied to realistic live objects (defaulted fields, injected volume mounts, status).
 * Each case also shows what an RFC 7386 JSON merge patch of the same body would have done.
 */
import { describe, expect, it } from 'vitest';
import { applyJsonMergePatch, applyStrategicMergePatch } from '../../../../runtime/apiserver/patch/index.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
type Obj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// --- Pod ----------------------------------------------------------------------------------

const podManifestV1 = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { annotations: {}, labels: { app: 'web', tier: 'frontend' }, name: 'web', namespace: 'default' },
  spec: { containers: [{ image: 'nginx:1.24', name: 'nginx', ports: [{ containerPort: 80 }] }] },
};
const podManifestV2 = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { annotations: {}, labels: { app: 'web' }, name: 'web', namespace: 'default' },
  spec: { containers: [{ image: 'nginx:1.25', name: 'nginx', ports: [{ containerPort: 80 }] }] },
};

const livePod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    annotations: { [LAST_APPLIED]: `${JSON.stringify(podManifestV1)}\n` },
    creationTimestamp: '2025-06-01T10:00:00Z',
    labels: { app: 'web', tier: 'frontend' },
    name: 'web',
    namespace: 'default',
    resourceVersion: '1042',
    uid: '4f6e7c1a-0d2b-4c55-9d3e-2a7c1b0e9f10',
  },
  spec: {
    containers: [
      {
        image: 'nginx:1.24',
        imagePullPolicy: 'IfNotPresent',
        name: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        volumeMounts: [
          { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access-x2k9p', readOnly: true },
        ],
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    nodeName: 'kite',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    volumes: [{ name: 'kube-api-access-x2k9p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
  },
  status: {
    conditions: [
      { lastTransitionTime: '2025-06-01T10:00:01Z', status: 'True', type: 'Ready' },
      { lastTransitionTime: '2025-06-01T10:00:00Z', status: 'True', type: 'PodScheduled' },
    ],
    phase: 'Running',
    podIP: '10.244.0.7',
  },
};

// What kubectl 1.32 sends (captured shape; Go marshals map keys sorted).
const podPatch = JSON.parse(
  `{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(`${JSON.stringify(podManifestV2)}\n`)}},"labels":{"tier":null}},` +
    `"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.25","name":"nginx"}]}}`,
) as Obj;

describe('kubectl apply (client-side) of an edited Pod', () => {
  it('the patch body is what kubectl sends', () => {
    expect(podPatch).toEqual({
      metadata: { annotations: { [LAST_APPLIED]: `${JSON.stringify(podManifestV2)}\n` }, labels: { tier: null } },
      spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.25', name: 'nginx' }] },
    });
  });

  it('SMP changes the image, drops the label, keeps every defaulted/injected container field', () => {
    const before = JSON.stringify(livePod);
    const out = applyStrategicMergePatch(livePod, podPatch, 'Pod') as Obj;
    const want = clone(livePod);
    want.metadata.annotations[LAST_APPLIED] = `${JSON.stringify(podManifestV2)}\n`;
    delete want.metadata.labels.tier;
    want.spec.containers[0].image = 'nginx:1.25';
    expect(out).toEqual(want);
    expect(JSON.stringify(livePod)).toBe(before);
  });

  it('a JSON merge patch of the same body would corrupt the Pod', () => {
    const out = applyJsonMergePatch(livePod, podPatch) as Obj;
    // the container loses its ports, volume mounts, pull policy, ...
    expect(out.spec.containers).toEqual([{ image: 'nginx:1.25', name: 'nginx' }]);
    // ... and the directive is stored as a bogus field
    expect(out.spec['$setElementOrder/containers']).toEqual([{ name: 'nginx' }]);
  });

  it('kubectl diff sends the same patch plus metadata.resourceVersion (no-op on the result)', () => {
    const diffPatch = clone(podPatch);
    diffPatch.metadata.resourceVersion = '1042';
    expect(applyStrategicMergePatch(livePod, diffPatch, 'Pod')).toEqual(applyStrategicMergePatch(livePod, podPatch, 'Pod'));
  });

  it('removing a container from the manifest sends a $patch: delete item', () => {
    const live = clone(livePod);
    live.spec.containers.push({ image: 'busybox', name: 'sidecar', resources: {}, terminationMessagePath: '/dev/termination-log' });
    const patch = JSON.parse('{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"$patch":"delete","name":"sidecar"}]}}');
    const out = applyStrategicMergePatch(live, patch, 'Pod') as Obj;
    expect(out.spec.containers).toEqual(livePod.spec.containers);
    // a merge patch would have stored the directive item as a container
    expect((applyJsonMergePatch(live, patch) as Obj).spec.containers).toEqual([{ $patch: 'delete', name: 'sidecar' }]);
  });

  it('adding a container keeps the order given by $setElementOrder', () => {
    const patch = JSON.parse(
      '{"spec":{"$setElementOrder/containers":[{"name":"init-logs"},{"name":"nginx"}],"containers":[{"image":"busybox","name":"init-logs"}]}}',
    );
    const out = applyStrategicMergePatch(livePod, patch, 'Pod') as Obj;
    expect(out.spec.containers.map((c: Obj) => c.name)).toEqual(['init-logs', 'nginx']);
    expect(out.spec.containers[1]).toEqual(livePod.spec.containers[0]);
  });

  it('kubectl patch (default --type=strategic) without directives merges by name', () => {
    const out = applyStrategicMergePatch(livePod, { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } }, 'Pod') as Obj;
    expect(out.spec.containers[0]).toEqual({ ...livePod.spec.containers[0], image: 'nginx:1.26' });
  });
});

// --- ReplicaSet -----------------------------------------------------------------------------

const rsManifestV1 = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { annotations: {}, name: 'api', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [{ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], image: 'api:1', name: 'app' }],
        volumes: [{ emptyDir: {}, name: 'data' }],
      },
    },
  },
};
const rsManifestV2 = {
  ...rsManifestV1,
  spec: {
    ...rsManifestV1.spec,
    replicas: 3,
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [{ env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }], image: 'api:1', name: 'app' }],
        volumes: [{ configMap: { name: 'api-config' }, name: 'data' }],
      },
    },
  },
};

const liveRS: Obj = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    annotations: { [LAST_APPLIED]: `${JSON.stringify(rsManifestV1)}\n` },
    generation: 1,
    name: 'api',
    namespace: 'default',
    resourceVersion: '2001',
    uid: 'b1c9a6c2-8f77-4c61-a1f4-3d8fe1a7c0aa',
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'api' } },
      spec: {
        containers: [
          {
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            image: 'api:1',
            imagePullPolicy: 'IfNotPresent',
            name: 'app',
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
          // injected by someone else (not in the manifest): must survive kubectl apply
          { image: 'envoy:1.30', name: 'proxy', resources: {} },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
        volumes: [{ emptyDir: {}, name: 'data' }],
      },
    },
  },
  status: { availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1, readyReplicas: 2, replicas: 2 },
};

// kubectl's three-way patch: replicas, env C added / B deleted, volume source switched
// (`patchStrategy:"merge,retainKeys"` on volumes -> $retainKeys + explicit null).
const rsPatch = JSON.parse(
  `{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(`${JSON.stringify(rsManifestV2)}\n`)}}},` +
    '"spec":{"replicas":3,"template":{"spec":{' +
    '"$setElementOrder/containers":[{"name":"app"}],' +
    '"$setElementOrder/volumes":[{"name":"data"}],' +
    '"containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"}],"env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],"name":"app"}],' +
    '"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"api-config"},"emptyDir":null,"name":"data"}]}}}}',
) as Obj;

describe('kubectl apply (client-side) of an edited ReplicaSet (nested PodTemplateSpec)', () => {
  it('SMP merges env by name, switches the volume source, keeps the injected container', () => {
    const out = applyStrategicMergePatch(liveRS, rsPatch, 'ReplicaSet') as Obj;
    const want = clone(liveRS);
    want.metadata.annotations[LAST_APPLIED] = `${JSON.stringify(rsManifestV2)}\n`;
    want.spec.replicas = 3;
    want.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }, { name: 'C', value: '3' }];
    want.spec.template.spec.volumes = [{ configMap: { name: 'api-config' }, name: 'data' }];
    expect(out).toEqual(want);
  });

  it('a JSON merge patch of the same body would corrupt the ReplicaSet', () => {
    const out = applyJsonMergePatch(liveRS, rsPatch) as Obj;
    const containers = out.spec.template.spec.containers;
    expect(containers.map((c: Obj) => c.name)).toEqual(['app']); // injected proxy container gone
    expect(containers[0].image).toBeUndefined(); // image gone (the patch item only names the container)
    expect(containers[0].env).toContainEqual({ $patch: 'delete', name: 'B' });
    expect(out.spec.template.spec.volumes[0].$retainKeys).toEqual(['configMap', 'name']);
  });
});

// --- Service --------------------------------------------------------------------------------

const svcManifestV1 = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { annotations: {}, name: 'web', namespace: 'default' },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }], selector: { app: 'web' } },
};
const svcManifestV2 = {
  ...svcManifestV1,
  spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }], selector: { app: 'web' } },
};
const liveSvc: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { annotations: { [LAST_APPLIED]: `${JSON.stringify(svcManifestV1)}\n` }, name: 'web', namespace: 'default', resourceVersion: '77', uid: 'c0ffee00-1111-2222-3333-444455556666' },
  spec: {
    clusterIP: '10.96.12.34',
    clusterIPs: ['10.96.12.34'],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'web' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
};
const svcPatch = JSON.parse(
  `{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(`${JSON.stringify(svcManifestV2)}\n`)}}},` +
    '"spec":{"$setElementOrder/ports":[{"port":80},{"port":443}],"ports":[{"name":"https","port":443,"targetPort":8443}]}}',
) as Obj;

describe('kubectl apply (client-side) of an edited Service', () => {
  it('SMP adds the port by `port` and keeps the existing one (with its defaulted protocol)', () => {
    const out = applyStrategicMergePatch(liveSvc, svcPatch, 'Service') as Obj;
    expect(out.spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ]);
    expect(out.spec.clusterIP).toBe('10.96.12.34');
  });

  it('a JSON merge patch of the same body would drop the http port', () => {
    expect((applyJsonMergePatch(liveSvc, svcPatch) as Obj).spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 8443 }]);
  });
});
