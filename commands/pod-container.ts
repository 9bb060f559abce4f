/** Which container of a pod `kite logs` / `kite exec` mean, as kubectl picks it (pkg/cmd/util/podcmd). */
import type { Pod } from '../lib/api/model.ts';
import { UserError } from './output.ts';

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** `-c`, else the default-container annotation, else the first (saying so on stderr when there are several, as kubectl does). */
export function podContainer(pod: Pod, asked: string | undefined, note: (line: string) => void): string {
  const name = pod.metadata.name ?? '';
  const all = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].map((c) => c.name);
  if (asked !== undefined) {
    if (!all.includes(asked)) throw new UserError(`container ${asked} is not valid for pod ${name}`);
    return asked;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && all.includes(annotated)) return annotated;
  const containers = pod.spec.containers.map((c) => c.name);
  if (containers.length === 0) throw new UserError(`pod ${name} has no containers`);
  if (containers.length > 1) note(`Defaulted container "${containers[0]}" out of: ${containers.join(', ')}\n`);
  return containers[0]!;
}

export function podPath(namespace: string, pod: string, sub: 'log' | 'exec'): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/${sub}`;
}
