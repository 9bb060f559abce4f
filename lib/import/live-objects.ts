import { LABEL_METADATA_NAME, applyDefaults } from '../api/defaults.ts';
import type { Pod } from '../api/kinds/pod.ts';
import { admitPodCreate } from '../api/pod-admission.ts';
import { jsonEqual } from '../api/equal.ts';
import type { KubeObject } from '../api/meta.ts';
import { validateManifest } from '../api/model.ts';

type Data = Record<string, unknown>;

/** Metadata the API server writes (and `kubectl get -o yaml` shows) that a manifest never sets. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences'];
/** Finalizers the API server adds itself (storage object-in-use protection). */
const SERVER_FINALIZERS = new Set(['kubernetes.io/pvc-protection', 'kubernetes.io/pv-protection']);
/** Service fields the server allocates or infers for a create: keeping them would pin the program to one cluster. */
const SERVICE_ALLOCATED = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy'];
/** The rollout settings of an App (lib/constructs/app.ts): the user's, not kite's bookkeeping. */
const USER_KITE_ANNOTATIONS = new Set(['kite.dev/max-surge', 'kite.dev/max-unavailable', 'kite.dev/progress-deadline-seconds']);
/** Objects every namespace has that nobody declares. */
const CLUSTER_OWN = [
  (o: KubeObject) => o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt',
  (o: KubeObject) => o.kind === 'ServiceAccount' && o.metadata.name === 'default',
  (o: KubeObject) => o.kind === 'Event' || o.kind === 'Lease',
  (o: KubeObject) => /^kite-(stack|lock|revision)-/.test(o.metadata.name ?? ''),
  // The API server's own Service (and its Endpoints) in `default`.
  (o: KubeObject) => (o.kind === 'Service' || o.kind === 'Endpoints') && o.metadata.namespace === 'default' && o.metadata.name === 'kubernetes',
  // Slices are written by the EndpointSlice (and mirroring) controllers from Services and Endpoints.
  (o: KubeObject) => o.kind === 'EndpointSlice' && o.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] !== undefined,
];

/**
 * The objects of a live namespace as a user would have written them: without what the cluster
 * made itself (objects owned by a controller, Endpoints of selector Services, the namespace's
 * own ConfigMap and ServiceAccount, kite's and kubectl's bookkeeping), status, server-set
 * metadata, allocated Service addresses, and fields whose value is what defaulting would set.
 */
export function userObjects(live: readonly KubeObject[]): KubeObject[] {
  const selectorServices = new Set(live.filter((o) => o.kind === 'Service' && (o.spec as Data | undefined)?.selector !== undefined).map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  return live
    .filter((o) => !o.metadata.ownerReferences?.some((r) => r.controller === true))
    .filter((o) => !CLUSTER_OWN.some((own) => own(o)))
    .filter((o) => !(o.kind === 'Endpoints' && selectorServices.has(`${o.metadata.namespace}/${o.metadata.name}`)))
    .map(asWritten);
}

function asWritten(o: KubeObject): KubeObject {
  const { status: _, ...rest } = o;
  const metadata: Data = { ...o.metadata };
  for (const k of SERVER_METADATA) delete metadata[k];
  metadata.labels = withoutBookkeeping(o.metadata.labels);
  metadata.annotations = withoutBookkeeping(o.metadata.annotations);
  for (const k of ['labels', 'annotations']) if (metadata[k] === undefined) delete metadata[k];
  const finalizers = (o.metadata.finalizers ?? []).filter((f) => !SERVER_FINALIZERS.has(f));
  if (finalizers.length > 0) metadata.finalizers = finalizers;
  else delete metadata.finalizers;
  const out = { ...rest, metadata } as KubeObject;
  if (o.kind === 'Namespace' && metadata.labels) {
    // The API server labels every namespace with its name.
    const { [LABEL_METADATA_NAME]: _name, ...labels } = metadata.labels as Record<string, string>;
    metadata.labels = Object.keys(labels).length > 0 ? labels : undefined;
    if (metadata.labels === undefined) delete metadata.labels;
  }
  if (o.kind === 'Pod' && out.spec) {
    // The scheduler's choice; the deprecated alias the server fills from serviceAccountName.
    const { nodeName: _node, serviceAccount: _sa, ...spec } = out.spec as Data;
    out.spec = spec;
  }
  const template = (out.spec as { template?: { metadata?: Data } } | undefined)?.template;
  if (template?.metadata) {
    // kite stamps its rollout's template hash on the pod template (lib/plan/rollout).
    const { labels, annotations, ...m } = template.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
    const kept = { labels: withoutBookkeeping(labels), annotations: withoutBookkeeping(annotations) };
    out.spec = { ...(out.spec as Data), template: { ...template, metadata: { ...m, ...(kept.labels ? { labels: kept.labels } : {}), ...(kept.annotations ? { annotations: kept.annotations } : {}) } } };
  }
  if (o.kind === 'Service' && out.spec) {
    const spec = { ...(out.spec as Data) };
    for (const k of SERVICE_ALLOCATED) delete spec[k];
    out.spec = spec;
  }
  const valid = validateManifest(out).object;
  return valid ? withoutDefaults(valid) : out;
}

function withoutBookkeeping(map: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  const kept = Object.entries(map).filter(
    ([k]) =>
      k !== 'kubectl.kubernetes.io/last-applied-configuration' &&
      !k.startsWith('applyset.kubernetes.io/') &&
      // The Deployment controller's revision bookkeeping.
      !k.startsWith('deployment.kubernetes.io/') &&
      // The volume controllers' binding and provisioning bookkeeping.
      !k.startsWith('pv.kubernetes.io/') &&
      !k.startsWith('volume.kubernetes.io/') &&
      !k.startsWith('volume.beta.kubernetes.io/') &&
      (!k.startsWith('kite.dev/') || USER_KITE_ANNOTATIONS.has(k)),
  );
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

const KEPT = new Set(['labels', 'selector']);

/** The object as a create stores it: defaulted, and a Pod through the mutating admission plugins. */
export function settled(o: KubeObject): KubeObject {
  const defaulted = applyDefaults(o);
  if (o.kind !== 'Pod') return defaulted;
  const admitted = admitPodCreate(defaulted as unknown as Pod, { serviceAccounts: true });
  return 'spec' in admitted ? (admitted as unknown as KubeObject) : defaulted;
}

/**
 * Drops every field (top-down: a whole defaulted struct before its parts) whose absence
 * defaults back to the same object, so the program says only what differs from the defaults.
 */
export function withoutDefaults(o: KubeObject): KubeObject {
  const target = settled(o);
  const copy = structuredClone(o) as Data;
  const sameWhenDefaulted = () => {
    const valid = validateManifest(copy).object;
    return valid !== undefined && jsonEqual(settled(valid), target);
  };
  const prune = (node: Data | unknown[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) if (isContainer(item)) prune(item);
      return;
    }
    for (const key of Object.keys(node)) {
      if (node === copy && (key === 'apiVersion' || key === 'kind')) continue;
      if (node === copy.metadata && key === 'name') continue;
      // Labels and selectors say what an object is: kept even where defaulting would copy them
      // (an RC's selector and labels from its template).
      if (KEPT.has(key)) continue;
      const value = node[key];
      delete node[key];
      if (sameWhenDefaulted()) continue;
      node[key] = value;
      if (isContainer(value)) prune(value);
    }
  };
  prune(copy);
  return validateManifest(copy).object ?? o;
}

function isContainer(v: unknown): v is Data | unknown[] {
  return typeof v === 'object' && v !== null;
}
