/**
 * lib/kube: talking to a Kubernetes API server (kite's local one or a real cluster).
 *
 *   const target = loadKubeconfig({ kubeconfig, context });
 *   if (target instanceof KubeconfigError) ...report target.message...
 *   const kube = new KubeClient(target);
 *   await kube.get({ apiVersion: 'v1', kind: 'Namespace' }, undefined, 'default');
 */
export { loadKubeconfig, type KubeTarget, type LoadKubeconfigOptions, type Connection, type AuthKind } from './kubeconfig.ts';
export {
  KubeClient,
  type KubeClientOptions,
  type KubeObject,
  type KubeList,
  type ListMeta,
  type ResourceRef,
  type GetOptions,
  type ListOptions,
  type WriteOptions,
  type PatchType,
  type PatchOptions,
  type DeleteOptions,
  type WatchOptions,
  type WatchEvent,
  type WatchEventType,
  type Watch,
  type Table,
  type TableOptions,
  type VersionInfo,
  type RequestOptions,
} from './client.ts';
export { ResourceTable, discoverResources, type ApiResource, type GroupVersionFailure } from './discovery.ts';
export {
  KubeApiError,
  KubeUnreachableError,
  KubeconfigError,
  KubeNoMatchError,
  ExecPluginError,
  type ExecPluginFailure,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isExpired,
  type Status,
  type StatusCause,
  type StatusDetails,
} from './errors.ts';
