// lib/api/update: the API server's update rules, one case per rule (Kubernetes' field paths and wording).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { fieldErrorBody } from '../../lib/api/field-error.ts';
import { POD_UPDATE_FORBIDDEN, validateUpdate } from '../../lib/api/update/index.ts';

type Obj = Record<string, any>;
const edit = (o: KubeObject, f: (o: Obj) => void): KubeObject => {
  const c = structuredClone(o) as Obj;
  f(c);
  return c as KubeObject;
};

const meta = { name: 'x', namespace: 'prod', uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z' };
const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta,
  spec: {
    containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }],
    tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    terminationGracePeriodSeconds: 30,
    nodeName: 'node-1',
  },
};
const SVC: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta,
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80 }] },
};
const LB = edit(SVC, (o) => ((o.spec.type = 'LoadBalancer'), (o.spec.loadBalancerClass = 'example.com/a')));
const RS: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: meta,
  spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } } },
};
const RC: KubeObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta, spec: { selector: { app: 'x' } } };
const STS: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { serviceName: 'x', replicas: 1, selector: { matchLabels: { app: 'x' } } } };
const SECRET: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', data: { k: 'dg==' } };
const CM: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { k: 'v' }, immutable: true };

const IMMUTABLE = 'field is immutable';
const cases: Array<[string, KubeObject, (o: Obj) => void, Array<[string, string]>]> = [
  // ValidateObjectMetaUpdate
  ['metadata.uid', POD, (o) => (o.metadata.uid = 'u-2'), [['metadata.uid', `Invalid value: "u-2": ${IMMUTABLE}`]]],
  ['labels are mutable', POD, (o) => (o.metadata.labels = { a: 'b' }), []],
  ['no new finalizers while deleting', edit(SECRET, (o) => (o.metadata.deletionTimestamp = '2026-01-02T00:00:00Z')), (o) => (o.metadata.finalizers = ['example.com/f']), [
    ['metadata.finalizers', 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/f"}'],
  ]],
  // Pod
  ['Pod image', POD, (o) => (o.spec.containers[0].image = 'app:2'), []],
  ['Pod image emptied', POD, (o) => (o.spec.containers[0].image = ''), [['spec.containers[0].image', 'Required value']]],
  ['Pod container ports', POD, (o) => o.spec.containers[0].ports.push({ containerPort: 81 }), [['spec', `Forbidden: ${POD_UPDATE_FORBIDDEN}`]]],
  ['Pod container added', POD, (o) => o.spec.containers.push({ name: 'b', image: 'b:1' }), [['spec.containers', 'Forbidden: pod updates may not add or remove containers']]],
  ['Pod activeDeadlineSeconds set', POD, (o) => (o.spec.activeDeadlineSeconds = 60), []],
  ['Pod activeDeadlineSeconds raised', edit(POD, (o) => (o.spec.activeDeadlineSeconds = 60)), (o) => (o.spec.activeDeadlineSeconds = 61), [
    ['spec.activeDeadlineSeconds', 'Invalid value: 61: must be less than or equal to previous value'],
  ]],
  ['Pod activeDeadlineSeconds removed', edit(POD, (o) => (o.spec.activeDeadlineSeconds = 60)), (o) => delete o.spec.activeDeadlineSeconds, [
    ['spec.activeDeadlineSeconds', 'Invalid value: "null": must not update from a positive integer to nil value'],
  ]],
  ['Pod activeDeadlineSeconds 0', POD, (o) => (o.spec.activeDeadlineSeconds = 0), [['spec.activeDeadlineSeconds', 'Invalid value: 0: must be between 1 and 2147483647, inclusive']]],
  ['Pod toleration added', POD, (o) => o.spec.tolerations.push({ key: 'ssd', operator: 'Exists' }), []],
  ['Pod tolerationSeconds changed', POD, (o) => (o.spec.tolerations[0].tolerationSeconds = 600), []],
  ['Pod toleration removed', POD, (o) => (o.spec.tolerations = []), [['spec.tolerations', 'Forbidden: existing toleration can not be modified except its tolerationSeconds']]],
  ['Pod terminationGracePeriodSeconds', POD, (o) => (o.spec.terminationGracePeriodSeconds = 5), [['spec', `Forbidden: ${POD_UPDATE_FORBIDDEN}`]]],
  ['Pod terminationGracePeriodSeconds from negative to 1', edit(POD, (o) => (o.spec.terminationGracePeriodSeconds = -1)), (o) => (o.spec.terminationGracePeriodSeconds = 1), []],
  ['Pod nodeName', POD, (o) => (o.spec.nodeName = 'node-2'), [['spec', `Forbidden: ${POD_UPDATE_FORBIDDEN}`]]],
  // Service
  ['Service clusterIP', SVC, (o) => (o.spec.clusterIP = '10.96.0.11'), [['spec.clusterIPs[0]', 'Invalid value: []string{"10.96.0.11"}: may not change once set']]],
  ['Service clusterIP left out (allocated value kept)', SVC, (o) => (delete o.spec.clusterIP, delete o.spec.clusterIPs, delete o.spec.ipFamilies), []],
  ['Service ipFamilies', SVC, (o) => (o.spec.ipFamilies = ['IPv6']), [['spec.ipFamilies[0]', 'Invalid value: []core.IPFamily{"IPv6"}: may not change once set']]],
  ['Service ClusterIP to NodePort', SVC, (o) => (o.spec.type = 'NodePort'), []],
  ['Service to ExternalName', SVC, (o) => (o.spec = { type: 'ExternalName', externalName: 'db.example.com' }), []],
  ['Service loadBalancerClass', LB, (o) => (o.spec.loadBalancerClass = 'example.com/b'), [['spec.loadBalancerClass', 'Invalid value: "example.com/b": may not change once set']]],
  // Secret, ConfigMap
  ['Secret type', SECRET, (o) => (o.type = 'kubernetes.io/basic-auth'), [['type', `Invalid value: "kubernetes.io/basic-auth": ${IMMUTABLE}`]]],
  ['Secret type defaulted', edit(SECRET, (o) => delete o.type), (o) => (o.type = 'Opaque'), []],
  ['Secret data', SECRET, (o) => (o.data.k = 'dw=='), []],
  ['Secret stringData once immutable', edit(SECRET, (o) => (o.immutable = true)), (o) => (o.stringData = { k: 'w' }), [['data', 'Forbidden: field is immutable when `immutable` is set']]],
  ['ConfigMap data once immutable', CM, (o) => (o.data.k = 'w'), [['data', 'Forbidden: field is immutable when `immutable` is set']]],
  ['ConfigMap immutable unset', CM, (o) => delete o.immutable, [['immutable', 'Forbidden: field is immutable when `immutable` is set']]],
  ['ConfigMap labels once immutable', CM, (o) => (o.metadata.labels = { a: 'b' }), []],
  // workloads
  ['ReplicaSet selector', RS, (o) => (o.spec.selector.matchLabels.tier = 'web'), [['spec.selector', `Invalid value: &LabelSelector{MatchLabels:map[string]string{app: x,tier: web,},MatchExpressions:[]LabelSelectorRequirement{},}: ${IMMUTABLE}`]]],
  ['ReplicaSet template', RS, (o) => (o.spec.template.spec.containers[0].image = 'a:2'), []],
  ['ReplicationController selector is mutable', RC, (o) => (o.spec.selector.tier = 'web'), []],
  ['StatefulSet replicas', STS, (o) => (o.spec.replicas = 3), []],
  ['StatefulSet serviceName', STS, (o) => (o.spec.serviceName = 'y'), [
    ['spec', "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
  ]],
];

describe('validateUpdate (lib/api/update)', () => {
  it.each(cases)('%s', (_name, old, change, expected) => {
    const diags = validateUpdate(edit(old, change), old);
    expect(diags.map((d) => [d.path, fieldErrorBody(d)])).toEqual(expected);
    expect(diags.every((d) => d.severity === 'error')).toBe(true);
  });
});
