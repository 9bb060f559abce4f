/**
 * The LoadBalancer address controller: what a cloud controller does for `type: LoadBalancer`
 * Services (k8s.io/cloud-provider controllers/service/controller.go syncLoadBalancerIfNeeded),
 * with addresses handed out from a loopback range as MetalLB's layer-2 mode or
 * cloud-provider-kind would: each such Service without `spec.loadBalancerClass` gets its own
 * address, written to `status.loadBalancer.ingress: [{ ip, ipMode: 'VIP' }]` (the proxy listens
 * there on the Service's ports).
 *
 *  - the lowest free address of the range, or `spec.loadBalancerIP` when it is in the range and
 *    free (otherwise a `SyncLoadBalancerFailed` Warning, the status left as it was);
 *  - the addresses in use are those in the stored Services' status, so a restart keeps them and
 *    a deleted Service (or one no longer of type LoadBalancer, whose status is cleared) frees its
 *    address; Services still waiting for one are retried whenever an address may have come free;
 *  - events worded as the service controller's: `EnsuringLoadBalancer` / `EnsuredLoadBalancer`
 *    when an address is handed out, `DeletingLoadBalancer` / `DeletedLoadBalancer` when one is
 *    taken back.
 *
 * Not done: the `service.kubernetes.io/load-balancer-cleanup` finalizer (nothing outside this
 * process needs cleaning up), IPv6, `ports` in the ingress entry.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import type { LoadBalancerIngress, Service } from '../../lib/api/model.ts';
import { isNotFound } from '../../lib/api/status.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, type Informer } from '../client/informer.ts';
import { formatIPv4, parseIPv4 } from '../../lib/api/ipv4.ts';
import { ControllerEventRecorder } from './events.ts';
import { QueueController } from './queue-controller.ts';
import type { ControllerOptions } from './shared.ts';

export interface ServiceLoadBalancerOptions extends ControllerOptions {
  /** The addresses to hand out, e.g. `127.240.0.0/16` (runtime.network.loadBalancerCIDR). */
  loadBalancerCIDR: string;
}

/** The event source, as the cloud controller manager's. */
const COMPONENT = 'service-controller';

/** A range of IPv4 addresses, its network and broadcast addresses excluded. */
export interface AddressRange {
  cidr: string;
  /** First and last usable address, as numbers. */
  first: number;
  last: number;
}

export function addressRange(cidr: string): AddressRange {
  const [addr, bits] = cidr.split('/');
  const base = parseIPv4(addr ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid load balancer CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  return { cidr, first: network + 1, last: network + size - 2 };
}

export type AddressChoice = { ip: string } | { error: string };

/**
 * The address for one Service: the one it asks for (`spec.loadBalancerIP`), else the one it has,
 * else the lowest free one. `used` holds the other Services' addresses.
 */
export function chooseAddress(range: AddressRange, used: ReadonlySet<number>, requested: string | undefined, current: string | undefined): AddressChoice {
  if (requested) {
    const n = parseIPv4(requested);
    if (n === undefined || n < range.first || n > range.last) return { error: `requested IP ${requested} is not in the load balancer range ${range.cidr}` };
    if (used.has(n)) return { error: `requested IP ${requested} is already allocated to another Service` };
    return { ip: requested };
  }
  const have = current === undefined ? undefined : parseIPv4(current);
  if (have !== undefined && have >= range.first && have <= range.last && !used.has(have)) return { ip: current! };
  for (let n = range.first; n <= range.last; n++) if (!used.has(n)) return { ip: formatIPv4(n) };
  return { error: `no available IP in the load balancer range ${range.cidr}` };
}

/** wantsLoadBalancer, restricted to the Services this implementation serves (no loadBalancerClass). */
export function wantsAddress(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass && !svc.metadata.deletionTimestamp;
}

export class ServiceLoadBalancerController extends QueueController {
  private readonly services: Informer<'services'>;
  private readonly range: AddressRange;
  private readonly events: ControllerEventRecorder;
  /**
   * The address each Service was last given, ahead of the informer (our status write may not be
   * in the cache yet when the next Service is synced). One worker, so no two syncs race.
   */
  private readonly given = new Map<string, string>();

  constructor(
    private readonly client: ApiClient,
    opts: ServiceLoadBalancerOptions,
  ) {
    super('service-lb-controller', client, opts, 1);
    this.range = addressRange(opts.loadBalancerCIDR);
    this.events = new ControllerEventRecorder(client, COMPONENT, opts.clock);
    this.services = this.informers.on('services', {
      add: (svc) => this.queue.add(keyOf(svc)),
      update: (svc, old) => {
        this.queue.add(keyOf(svc));
        // An address may have come free: retry the Services still waiting for one.
        const had = heldAddress(old);
        if (had && had !== heldAddress(svc)) this.enqueueWaiting();
      },
      delete: (svc) => {
        this.queue.add(keyOf(svc));
        if (heldAddress(svc)) this.enqueueWaiting();
      },
    });
  }

  private enqueueWaiting(): void {
    for (const s of this.services.list()) if (wantsAddress(s) && !heldAddress(s)) this.queue.add(keyOf(s));
  }

  /** The addresses held by every Service but `key`. */
  private usedBy(key: string): Set<number> {
    const used = new Set<number>();
    const add = (ip: string | undefined) => {
      const n = ip === undefined ? undefined : parseIPv4(ip);
      if (n !== undefined) used.add(n);
    };
    for (const s of this.services.list()) {
      const k = keyOf(s);
      if (k === key) continue;
      // A Service that stopped wanting its address keeps it until its status is cleared.
      add(this.given.get(k) ?? heldAddress(s));
    }
    return used;
  }

  async sync(key: string): Promise<void> {
    const svc = this.services.get(key);
    if (!svc) {
      this.given.delete(key);
      return;
    }
    const held = heldAddress(svc);
    if (!wantsAddress(svc)) {
      this.given.delete(key);
      // Another implementation (loadBalancerClass) owns the status of its Services.
      if (svc.spec?.type === 'LoadBalancer' && svc.spec.loadBalancerClass) return;
      if (!held && !svc.status?.loadBalancer?.ingress?.length) return;
      this.events.normal(svc, 'DeletingLoadBalancer', 'Deleting load balancer');
      if (await this.writeIngress(svc, [])) this.events.normal(svc, 'DeletedLoadBalancer', 'Deleted load balancer');
      return;
    }
    const choice = chooseAddress(this.range, this.usedBy(key), svc.spec?.loadBalancerIP || undefined, held);
    if ('error' in choice) {
      // As upstream, a failed sync leaves the status as it was (an address it holds stays its own).
      if (held) this.given.set(key, held);
      else this.given.delete(key);
      this.events.warning(svc, 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${choice.error}`);
      return;
    }
    const desired: LoadBalancerIngress[] = [{ ip: choice.ip, ipMode: 'VIP' }];
    this.given.set(key, choice.ip);
    if (jsonEqual(svc.status?.loadBalancer?.ingress ?? [], desired)) return;
    this.events.normal(svc, 'EnsuringLoadBalancer', 'Ensuring load balancer');
    if (await this.writeIngress(svc, desired)) this.events.normal(svc, 'EnsuredLoadBalancer', 'Ensured load balancer');
  }

  /** Writes the ingress through the status subresource; false if the Service is gone. */
  private async writeIngress(svc: Service, ingress: LoadBalancerIngress[]): Promise<boolean> {
    const loadBalancer = ingress.length ? { ingress } : {};
    try {
      await this.client.updateStatus('services', { ...svc, status: { ...svc.status, loadBalancer } });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }
}

/** The address a Service's status holds (the first IPv4 ingress entry). */
function heldAddress(svc: Service): string | undefined {
  return svc.status?.loadBalancer?.ingress?.find((i) => i.ip !== undefined && parseIPv4(i.ip) !== undefined)?.ip;
}
