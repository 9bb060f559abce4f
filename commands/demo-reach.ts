/**
 * How `kite demo` tells the user to reach the shop: the URL of each LoadBalancer Service (its
 * address, from the runtime's load balancer controller) and a `curl` line per pod.
 */
import type { Pod, Service } from '../lib/api/model.ts';
import { SERVICE_PORTS_BOUND } from '../lib/api/model.ts';
import type { KubeClient } from '../lib/kube/index.ts';

const SERVICES = { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true } as const;
const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;

/** `http://ip/` for port 80, `http://ip:port/` otherwise. */
function url(ip: string, port: number): string {
  return port === 80 ? `http://${ip}/` : `http://${ip}:${port}/`;
}

/** One line per TCP port of each LoadBalancer Service: its URL, or why there is none. */
export function loadBalancerLines(services: readonly Service[]): string[] {
  const lines: string[] = [];
  for (const s of services) {
    if (s.spec?.type !== 'LoadBalancer') continue;
    const id = `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`;
    const unbound = s.status?.conditions?.find((c) => c.type === SERVICE_PORTS_BOUND && c.status === 'False');
    const ip = s.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip;
    if (!ip) {
      lines.push(`  # ${id}: EXTERNAL-IP still <pending> (kite describe svc -n ${s.metadata.namespace ?? ''} ${s.metadata.name ?? ''})`);
      continue;
    }
    for (const p of s.spec.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      lines.push(`  curl ${url(ip, p.port)}    # service ${id} (LoadBalancer)`);
    }
    if (unbound) lines.push(`  # ${id}: ${unbound.message || unbound.reason || 'the proxy cannot listen on its ports'}`);
  }
  return lines;
}

/** A `curl` line per running pod that serves a port (each pod has its own loopback IP). */
export function podLines(pods: readonly Pod[]): string[] {
  return pods.flatMap((p) => {
    const port = p.spec.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort;
    return p.status?.podIP && port ? [`  curl http://${p.status.podIP}:${port}/    # ${p.metadata.namespace}/${p.metadata.name}`] : [];
  });
}

export interface ReachOptions {
  /** How long to wait for the LoadBalancer addresses. */
  timeoutMs: number;
  /** Poll interval while waiting. */
  pollMs?: number;
}

/** The reach lines, after waiting (bounded) until every LoadBalancer Service has its address. */
export async function reachLines(client: KubeClient, o: ReachOptions): Promise<string> {
  const deadline = Date.now() + o.timeoutMs;
  let services: Service[];
  for (;;) {
    services = (await client.list<Service>(SERVICES)).items.filter((s) => s.spec?.type === 'LoadBalancer');
    const waiting = services.some((s) => !s.status?.loadBalancer?.ingress?.length);
    if (!waiting || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
  const pods = (await client.list<Pod>(PODS)).items;
  const lines = [...loadBalancerLines(services), ...podLines(pods)];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
