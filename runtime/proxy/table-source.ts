/**
 * The service table kept per informer event: a Service or EndpointSlice that changed marks its
 * Service's entries stale, and the next table rebuilds only those and merges them into the last
 * sorted table, instead of rebuilding and sorting every Service's entries (a 2,500-Service apply
 * rebuilt the whole table ten times a second). The result equals buildServiceTable over the
 * informers' lists (test/runtime/proxy/table-source.test.ts): entries depend only on their
 * Service and its slices, and the table is sorted by a unique key.
 */
import type { EndpointSlice, Service } from '../../lib/api/model.ts';
import { keyOf } from '../client/informer.ts';
import { proxiedSliceService, serviceEntries, serviceKey, sortByKey, type ServicePortEntry, type ServiceTableOptions } from './service-table.ts';

interface Entry {
  svc: Service;
  /** undefined: stale, rebuilt by the next table. */
  ports: ServicePortEntry[] | undefined;
}

/** Above this share of stale Services, the table is rebuilt and sorted whole rather than merged. */
const MERGE_BELOW = 1 / 8;

export class ServiceTableSource {
  /** By Service key (`ns/name`). */
  private readonly entries = new Map<string, Entry>();
  /** Each Service's proxied slices by the slice's informer key (slices may come before their Service). */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  /** Services whose entries are stale since the last table, and the entries of theirs it holds. */
  private readonly stale = new Set<string>();
  private readonly dropped = new Set<ServicePortEntry>();
  /** The last table, sorted; undefined: build whole. */
  private last: ServicePortEntry[] | undefined;

  constructor(private readonly o: ServiceTableOptions) {}

  serviceChanged(svc: Service): void {
    const key = serviceKey(svc);
    const e = this.entries.get(key);
    if (e) e.svc = svc;
    else this.entries.set(key, { svc, ports: undefined });
    this.markStale(key);
  }

  serviceDeleted(svc: Service): void {
    const key = serviceKey(svc);
    this.markStale(key);
    this.entries.delete(key);
  }

  sliceChanged(s: EndpointSlice, old?: EndpointSlice): void {
    const k = keyOf(s);
    const before = old && proxiedSliceService(old);
    const now = proxiedSliceService(s);
    if (before !== undefined && before !== now) this.unplace(k, before);
    if (now === undefined) return;
    let group = this.slices.get(now);
    if (!group) this.slices.set(now, (group = new Map()));
    group.set(k, s);
    this.markStale(now);
  }

  sliceDeleted(s: EndpointSlice): void {
    const svc = proxiedSliceService(s);
    if (svc !== undefined) this.unplace(keyOf(s), svc);
  }

  /** The whole table, sorted by key: a new array each time. */
  table(): ServicePortEntry[] {
    const last = this.last;
    let out: ServicePortEntry[];
    if (!last || this.stale.size > this.entries.size * MERGE_BELOW) {
      out = [];
      for (const [key, e] of this.entries) for (const p of this.portsOf(key, e)) out.push(p);
      sortByKey(out);
    } else {
      const fresh: ServicePortEntry[] = [];
      for (const key of this.stale) {
        const e = this.entries.get(key);
        if (e) for (const p of this.portsOf(key, e)) fresh.push(p);
      }
      out = merge(this.dropped.size === 0 ? last : last.filter((p) => !this.dropped.has(p)), sortByKey(fresh));
    }
    this.stale.clear();
    this.dropped.clear();
    this.last = out;
    return out.slice();
  }

  private portsOf(key: string, e: Entry): ServicePortEntry[] {
    return (e.ports ??= serviceEntries(e.svc, this.slicesOf(key), this.o));
  }

  private unplace(sliceKey: string, svc: string): void {
    const group = this.slices.get(svc);
    if (!group?.delete(sliceKey)) return;
    if (group.size === 0) this.slices.delete(svc);
    this.markStale(svc);
  }

  private markStale(svc: string): void {
    const e = this.entries.get(svc);
    if (e?.ports) {
      // Entries built since the last table are not in it (its Service was stale then too).
      if (!this.stale.has(svc)) for (const p of e.ports) this.dropped.add(p);
      e.ports = undefined;
    }
    this.stale.add(svc);
  }

  private slicesOf(svc: string): EndpointSlice[] {
    const group = this.slices.get(svc);
    return group ? [...group.values()] : [];
  }
}

/** Two arrays sorted by key (keys unique across both) merged into one. */
function merge(a: readonly ServicePortEntry[], b: readonly ServicePortEntry[]): ServicePortEntry[] {
  if (b.length === 0) return a.slice();
  const out = new Array<ServicePortEntry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.key < b[j]!.key ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
