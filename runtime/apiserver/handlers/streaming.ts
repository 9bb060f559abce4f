/**
 * pods/exec, pods/attach and pods/portforward, and pods/log with follow: the streams the API
 * server proxies to the pod's kubelet. Upstream checks the request as streamLocation and
 * PortForwardLocation do (pkg/registry/core/pod/strategy.go) — the container must be valid, the
 * pod bound to a node — before connecting. A simulated node has no kubelet endpoint and its
 * containers are not processes: the answer says so, as a Status kubectl prints.
 */
import type { Pod } from '../../../lib/api/model.ts';
import { isKind } from '../../../lib/api/resource-types.ts';
import { resourceAt } from '../resources.ts';
import { errors, type ApiError } from '../status.ts';
import type { Registry } from '../registry.ts';

export type StreamSubresource = 'exec' | 'attach' | 'portforward' | 'log';

/** What a stream to a simulated node's pod would have reached. */
const NOTHING_THERE: Record<StreamSubresource, string> = {
  exec: 'nothing to exec into',
  attach: 'nothing to attach to',
  portforward: 'no port to forward to',
  log: 'no log to follow',
};

/** The refusal of a stream to a pod (the request's own mistakes first, as upstream orders them). */
export function streamRefusal(registry: Registry, ns: string, name: string, sub: StreamSubresource, container: string | null): ApiError {
  const pods = resourceAt('v1', 'pods')!;
  const pod = registry.get(pods, ns, name);
  if (!isKind(pod, 'Pod')) return errors.notFound(pods, name);
  if (sub === 'exec' || sub === 'attach') {
    const invalid = containerRefusal(pod, name, container);
    if (invalid) return invalid;
  }
  const node = pod.spec.nodeName;
  if (!node) return errors.badRequest(`pod ${name} does not have a host assigned`);
  return simulatedNode(name, node, sub);
}

/** A pod on a simulated node: no kubelet to stream from. */
export function simulatedNode(pod: string, node: string, sub: StreamSubresource): ApiError {
  return errors.badRequest(`pod ${pod} runs on simulated node ${node}: its containers are not processes, so there is ${NOTHING_THERE[sub]}`);
}

/** streamLocation's container checks. */
function containerRefusal(pod: Pod, name: string, container: string | null): ApiError | undefined {
  const names = (list: readonly { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
  if (!container) {
    const containers = names(pod.spec.containers);
    if (containers.length === 1) return undefined;
    if (containers.length === 0) return errors.badRequest(`a container name must be specified for pod ${name}`);
    const init = names(pod.spec.initContainers);
    // Go's %s of a []string: `[a b]`
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
    return errors.badRequest(message);
  }
  const all = [...names(pod.spec.containers), ...names(pod.spec.initContainers)];
  return all.includes(container) ? undefined : errors.badRequest(`container ${container} is not valid for pod ${name}`);
}
