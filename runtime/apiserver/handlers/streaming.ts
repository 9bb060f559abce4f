/**
 * pods/exec, pods/attach, pods/portforward and pods/log: the streams the API server proxies to
 * the pod's kubelet (./kubelet-proxy.ts). Upstream checks the request as streamLocation,
 * LogLocation and PortForwardLocation do (pkg/registry/core/pod/strategy.go) — the container must
 * be valid, the pod bound to a node — before connecting to the node's kubelet at its InternalIP
 * and `daemonEndpoints.kubeletEndpoint.Port`. What a kubelet cannot give (a simulated node's),
 * it refuses itself.
 */
import type { Node, Pod } from '../../../lib/api/model.ts';
import { isKind } from '../../../lib/api/resource-types.ts';
import { resourceAt } from '../resources.ts';
import { errors, type ApiError } from '../status.ts';
import type { Registry } from '../registry.ts';

export type StreamSubresource = 'exec' | 'attach' | 'portforward' | 'log';

/** Where a stream goes: the kubelet's address and the path and query it is asked for there. */
export interface KubeletStream {
  host: string;
  port: number;
  /** `/exec/<ns>/<pod>/<container>?command=…` */
  pathAndQuery: string;
}

/** The kubelet's paths (pkg/kubelet/server/server.go). */
const KUBELET_PATH: Record<StreamSubresource, string> = { exec: 'exec', attach: 'attach', portforward: 'portForward', log: 'containerLogs' };

/** The checks upstream makes before connecting, then where to connect (throws the refusal). */
export function kubeletStream(registry: Registry, ns: string, name: string, sub: StreamSubresource, q: URLSearchParams): KubeletStream {
  const pods = resourceAt('v1', 'pods')!;
  const pod = registry.get(pods, ns, name);
  if (!isKind(pod, 'Pod')) throw errors.notFound(pods, name);
  let container: string | undefined;
  if (sub !== 'portforward') {
    container = q.get('container') || defaultContainer(pod, name);
    const all = [...names(pod.spec.containers), ...names(pod.spec.initContainers)];
    if (!all.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const nodeName = pod.spec.nodeName;
  if (!nodeName) {
    if (sub === 'log') throw errors.badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    throw errors.badRequest(`pod ${name} does not have a host assigned`);
  }
  const node = registry.get(resourceAt('v1', 'nodes')!, undefined, nodeName) as Node;
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250;
  const query = new URLSearchParams([...q].filter(([k]) => k !== 'container' && !(sub === 'portforward' && k === 'ports')));
  // PodPortForwardOptions.ports reaches the kubelet as one `port` list (strategy.go, streamParams).
  const ports = sub === 'portforward' ? q.getAll('ports').filter(Boolean) : [];
  if (ports.length) query.set('port', ports.join(','));
  const path = ['', KUBELET_PATH[sub], ns, name, ...(container ? [container] : [])].map(encodeURIComponent).join('/');
  return { host, port, pathAndQuery: `${path}${query.size ? `?${query}` : ''}` };
}

function names(list: readonly { name: string }[] | undefined): string[] {
  return (list ?? []).map((c) => c.name);
}

/** No container named: the only one, else the refusal that lists them (Go's %s of a []string: `[a b]`). */
function defaultContainer(pod: Pod, name: string): string {
  const containers = names(pod.spec.containers);
  if (containers.length === 1) return containers[0]!;
  const refusal: ApiError = errors.badRequest(
    containers.length === 0
      ? `a container name must be specified for pod ${name}`
      : `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]` +
          (pod.spec.initContainers?.length ? ` or one of the init containers: [${names(pod.spec.initContainers).join(' ')}]` : ''),
  );
  throw refusal;
}
