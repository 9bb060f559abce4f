import type { IpAllocator, PortAllocator } from './allocators.ts';
import type { ResourceDef } from './resources.ts';
import { errors } from './status.ts';
import type { Service, ServiceSpec } from '../../lib/api/model.ts';
import { fieldError } from '../../lib/api/diagnostics.ts';

export interface ServiceAllocators {
  ips: IpAllocator;
  nodePorts: PortAllocator;
}

function wantsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/**
 * Fills spec.clusterIP/clusterIPs and nodePorts of a Service being created or updated, as the
 * real registry's allocators do. `old` is the stored Service on update. Returns a function that
 * undoes this call's allocations (when the write is refused or is a dry run).
 */
export function allocateServiceAddresses(r: ResourceDef, svc: Service, old: Service | undefined, a: ServiceAllocators): () => void {
  const undo: Array<() => void> = [];
  const spec = (svc.spec ??= {});
  const name = svc.metadata?.name ?? '';
  try {
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (old?.spec?.clusterIP && old.spec.type !== 'ExternalName' && (spec.clusterIP === undefined || spec.clusterIP === '')) {
      spec.clusterIP = old.spec.clusterIP;
      spec.clusterIPs = old.spec.clusterIPs ?? [old.spec.clusterIP];
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
    } else if (spec.clusterIP === undefined || spec.clusterIP === '') {
      const ip = a.ips.allocate();
      if (!ip) throw errors.internal('failed to allocate a serviceIP: range is full');
      undo.push(() => a.ips.release(ip));
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else if (spec.clusterIP !== old?.spec?.clusterIP) {
      if (!a.ips.reserve(spec.clusterIP)) {
        const why = a.ips.contains(spec.clusterIP) ? 'provided IP is already allocated' : 'the provided IP is not in the valid range';
        throw errors.invalid(r, name, [fieldError('invalid', 'spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: ${why}`)]);
      }
      const ip = spec.clusterIP;
      undo.push(() => a.ips.release(ip));
      spec.clusterIPs = [ip];
    }
    const oldPorts = new Map<number, number>((old?.spec?.ports ?? []).flatMap((p) => (p.nodePort ? [[p.port, p.nodePort]] : [])));
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (!wantsNodePorts(spec)) {
        delete p.nodePort;
        continue;
      }
      if (p.nodePort === undefined || p.nodePort === 0) {
        const kept = oldPorts.get(p.port);
        if (kept) {
          p.nodePort = kept;
          continue;
        }
        const port = a.nodePorts.allocate();
        if (port === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
        undo.push(() => a.nodePorts.release(port));
        p.nodePort = port;
      } else if (![...oldPorts.values()].includes(p.nodePort)) {
        if (!a.nodePorts.reserve(p.nodePort)) {
          const inRange = p.nodePort >= a.nodePorts.min && p.nodePort <= a.nodePorts.max;
          const why = inRange ? 'provided port is already allocated' : `provided port is not in the valid range. The range of valid ports is ${a.nodePorts.min}-${a.nodePorts.max}`;
          throw errors.invalid(r, name, [fieldError('invalid', `spec.ports[${i}].nodePort`, p.nodePort, why)]);
        }
        const port = p.nodePort;
        undo.push(() => a.nodePorts.release(port));
      }
    }
  } catch (e) {
    undo.forEach((f) => f());
    throw e;
  }
  return () => undo.forEach((f) => f());
}

/** Releases what a Service held (after delete), or what an update stopped using. */
export function releaseServiceAddresses(svc: Service, a: ServiceAllocators, keep?: Service): void {
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None' && ip !== keep?.spec?.clusterIP) a.ips.release(ip);
  const kept = new Set((keep?.spec?.ports ?? []).map((p) => p.nodePort));
  for (const p of svc.spec?.ports ?? []) if (p.nodePort && !kept.has(p.nodePort)) a.nodePorts.release(p.nodePort);
}

/** Re-reserves the addresses of a stored Service (at start). */
export function reserveServiceAddresses(svc: Service, a: ServiceAllocators): void {
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None') a.ips.reserve(ip);
  for (const p of svc.spec?.ports ?? []) if (p.nodePort) a.nodePorts.reserve(p.nodePort);
}
